#include "mainwindow.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QTest>

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void showsTitleAndMenus();
};

void TestMainWindow::showsTitleAndMenus()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QCOMPARE(window.windowTitle(), QStringLiteral("kmtester"));
    QVERIFY(window.statusBar());

    QMenu *helpMenu = nullptr;
    const QList<QAction *> menuActions = window.menuBar()->actions();
    for (QAction *action : menuActions) {
        if (action->menu() && action->text().remove(QLatin1Char('&')) == QLatin1String("Help")) {
            helpMenu = action->menu();
        }
    }
    QVERIFY2(helpMenu, "no Help menu");

    bool hasAbout = false;
    const QList<QAction *> helpActions = helpMenu->actions();
    for (QAction *action : helpActions) {
        hasAbout = hasAbout || action->text().remove(QLatin1Char('&')).startsWith(QLatin1String("About"));
    }
    QVERIFY2(hasAbout, "no Help > About action");
    QVERIFY(window.aboutAction());
    QVERIFY(helpActions.contains(window.aboutAction()));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
