#include "filesecretstore.h"
#include "mainwindow.h"
#include "screenshottour.h"
#include "theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QSettings>
#include <QTemporaryDir>

#include <cstdio>

namespace {

QIcon applicationIcon()
{
    // Qt can only use the SVG when the Qt SVG plugins are installed, so the PNG renderings of it
    // are added as well.
    QIcon icon;
    icon.addFile(QStringLiteral(":/icons/kmtester.svg"));
    for (int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/kmtester-%1.png").arg(size), QSize(size, size));
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
    km::rememberSystemPalette();

    QCommandLineParser parser;
    parser.setApplicationDescription(
            QStringLiteral("Debugger and event tester for the Segment → Kissmetrics destination."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("workspace"), QStringLiteral("A .kmtest.json workspace to open."));
    QCommandLineOption screenshots(
            QStringLiteral("screenshots"),
            QStringLiteral("Open the sample workspace with fresh settings, save PNGs of the main "
                           "views into DIR and quit (scripts/screenshots)."),
            QStringLiteral("DIR"));
    parser.addOption(screenshots);
    parser.process(app);

    if (parser.isSet(screenshots)) {
        QTemporaryDir scratch;
        QSettings fresh(scratch.filePath(QStringLiteral("kmtester.ini")), QSettings::IniFormat);
        km::MainWindow window(&fresh);
        window.openInitialWorkspace();
        window.resize(1800, 1000);
        window.show();
        const QStringList files = km::takeScreenshots(window, parser.value(screenshots));
        for (const QString &file : files)
            std::printf("%s\n", qPrintable(file));
        return files.size() == 4 ? 0 : 1;
    }

    QSettings settings;
    km::applyTheme(km::themeFromName(settings.value(QStringLiteral("view/theme")).toString()));
    // Before any window: the probe may wait for a keyring daemon in a local event loop.
    km::SecretStoreChoice secrets = km::chooseSecretStore();
    km::MainWindow window(&settings);
    if (!secrets.store && settings.value(QStringLiteral("secrets/useFile")).toBool())
        secrets.store = std::make_unique<km::FileSecretStore>(km::FileSecretStore::defaultFilePath());
    window.setSecretStore(std::move(secrets.store), secrets.reason);
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty() || !window.openWorkspace(files.first()))
        window.openInitialWorkspace();
    window.show();
    // After show(), so the question has a window to belong to.
    window.offerUnsentRequests();
    return QApplication::exec();
}
