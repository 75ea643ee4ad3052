#include "mainwindow.h"

#include <QApplication>
#include <QIcon>

namespace {

QIcon applicationIcon()
{
    // Qt can only use the SVG when the Qt SVG plugins are installed, so the PNG renderings of it
    // are added as well.
    QIcon icon;
    icon.addFile(QStringLiteral(":/icons/kmtester.svg"));
    for (int size : {16, 32, 48, 64, 128, 256}) {
        icon.addFile(QStringLiteral(":/icons/kmtester-%1.png").arg(size), QSize(size, size));
    }
    return icon;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("kmtester"));
    QApplication::setOrganizationName(QStringLiteral("kmtester"));
    QApplication::setApplicationVersion(QStringLiteral(KMTESTER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("kmtester"));
    QApplication::setWindowIcon(applicationIcon());

    MainWindow window;
    window.show();

    return QApplication::exec();
}
