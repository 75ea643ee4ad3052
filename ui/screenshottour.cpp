#include "screenshottour.h"

#include "callsummary.h"
#include "configuration.h"
#include "mainwindow.h"
#include "previewpanel.h"
#include "undocommands.h"
#include "workspace.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QTabWidget>
#include <QThread>
#include <QUndoStack>

namespace km {

namespace {

void settle()
{
    for (int i = 0; i < 5; ++i) {
        QApplication::processEvents();
        QThread::msleep(30);
    }
}

int findCall(const Workspace &workspace, const QString &label)
{
    for (int i = 0; i < workspace.callCount(); ++i)
        if (summarizeCall(workspace.call(i).json).label == label)
            return i;
    return 0;
}

void showPreviewTab(MainWindow &window, const QString &title)
{
    if (auto *tabs = window.previewPanel()->findChild<QTabWidget *>(QStringLiteral("previewTabs")))
        for (int i = 0; i < tabs->count(); ++i)
            if (tabs->tabText(i).remove(QLatin1Char('&')).contains(title))
                tabs->setCurrentIndex(i);
}

void setEngine(MainWindow &window, EngineId engine)
{
    Configuration config = window.workspace()->configuration();
    config.engine = engine;
    window.undoStack()->push(new ConfigurationCommand(window.workspace(), window.workspace()->configuration(), config));
}

} // namespace

QStringList takeScreenshots(MainWindow &window, const QString &directory)
{
    QDir().mkpath(directory);
    QStringList written;
    auto shoot = [&](const QString &name) {
        settle();
        const QString path = QDir(directory).filePath(name);
        if (window.grab().save(path))
            written << path;
    };
    Workspace &ws = *window.workspace();

    window.setTheme(Theme::Light);
    setEngine(window, EngineId::SegmentCloud);
    window.selectCall(findCall(ws, QStringLiteral("Signed Up")));
    showPreviewTab(window, QStringLiteral("Kissmetrics"));
    shoot(QStringLiteral("preview.png"));

    setEngine(window, EngineId::SegmentDevice);
    window.selectCall(findCall(ws, QStringLiteral("Order Completed")));
    showPreviewTab(window, QStringLiteral("Why"));
    shoot(QStringLiteral("why.png"));

    setEngine(window, EngineId::SegmentCloud);
    window.undoStack()->push(new ComparisonCommand(&ws, ws.configuration()));
    setEngine(window, EngineId::SegmentDevice);
    showPreviewTab(window, QStringLiteral("Compare"));
    shoot(QStringLiteral("compare.png"));

    window.setTheme(Theme::Dark);
    window.selectCall(findCall(ws, QStringLiteral("Signed Up")));
    showPreviewTab(window, QStringLiteral("Kissmetrics"));
    shoot(QStringLiteral("dark.png"));

    // A browser's capture dropped in: what it offers and what Kissmetrics received (run from the
    // source tree, as scripts/screenshots does, for the sample capture).
    window.setTheme(Theme::Light);
    QFile capture(QStringLiteral("resources/samples/product-page.har"));
    if (capture.open(QIODevice::ReadOnly)) {
        window.addCallsFromData(capture.readAll(), QStringLiteral("product-page.har"));
        settle();
        if (auto *box = window.findChild<QMessageBox *>(QStringLiteral("captureSetupBox"))) {
            const QString path = QDir(directory).filePath(QStringLiteral("capture.png"));
            if (box->grab().save(path))
                written << path;
            box->close();
        }
    }

    window.undoStack()->clear();
    ws.setModified(false);
    return written;
}

} // namespace km
