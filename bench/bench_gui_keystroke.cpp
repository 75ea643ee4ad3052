// Keystroke-to-preview latency in the real window (offscreen): a key typed into the JSON editor
// of a 2 KB and of a 200 KB message, timed from the key press until the preview has been
// recomputed (PreviewPanel::previewUpdated). Prints median and 95th percentile per size.

#include "jsoneditor.h"
#include "mainwindow.h"
#include "previewpanel.h"
#include "workspace.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace {

// A pretty-printed track whose properties make it about `bytes` long.
std::string messageOfSize(std::size_t bytes)
{
    std::string json = "{\n  \"type\": \"track\",\n  \"userId\": \"user-123\",\n  \"event\": \"Typed\",\n"
                       "  \"timestamp\": \"2026-01-15T10:00:00.000Z\",\n  \"properties\": {\n";
    int i = 0;
    while (json.size() < bytes) {
        json += "    \"property_" + std::to_string(i) + "\": \"value number " + std::to_string(i) + "\",\n";
        ++i;
    }
    json += "    \"last\": 1\n  }\n}";
    return json;
}

void measure(km::MainWindow &window, const char *label, std::size_t bytes, int keys)
{
    km::Workspace *ws = window.workspace();
    ws->appendCall(messageOfSize(bytes));
    window.selectCall(ws->callCount() - 1);
    window.composeTabs()->setCurrentIndex(1);
    km::JsonEditor *editor = window.jsonEditor();
    QApplication::processEvents();

    QElapsedTimer timer;
    qint64 doneAt = -1;
    const auto connection = QObject::connect(window.previewPanel(), &km::PreviewPanel::previewUpdated,
                                             [&] { doneAt = timer.nsecsElapsed(); });
    std::vector<double> ms;
    for (int k = 0; k < keys; ++k) {
        // Type inside the event name, as a user editing the call would.
        QTextCursor cursor = editor->textCursor();
        cursor.setPosition(editor->toPlainText().indexOf(QStringLiteral("\"Typed")) + 6);
        editor->setTextCursor(cursor);
        doneAt = -1;
        timer.start();
        QTest::keyClick(editor, Qt::Key_A);
        while (doneAt < 0 && timer.elapsed() < 5000)
            QApplication::processEvents();
        ms.push_back(double(doneAt) / 1e6);
    }
    QObject::disconnect(connection);
    std::sort(ms.begin(), ms.end());
    const double median = ms[ms.size() / 2];
    const double p95 = ms[std::min(ms.size() - 1, ms.size() * 95 / 100)];
    std::printf("%-8s %8zu bytes  keystroke -> preview: median %7.2f ms, p95 %7.2f ms (%d keys)\n", label, bytes,
                median, p95, keys);
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("bench.ini")), QSettings::IniFormat);
    km::MainWindow window(&settings);
    window.workspace()->loadSamples();
    window.resize(1600, 960);
    window.show();
    measure(window, "2 KB", 2 * 1024, 60);
    measure(window, "200 KB", 200 * 1024, 20);
    window.workspace()->setModified(false);
    return 0;
}
