#pragma once

// The real main window on a private data folder and settings file, with a fixed clock: what the
// sending and history tests drive. open() in init(), close() in cleanup().

#include "mainwindow.h"
#include "workspace.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

struct SendingWindow
{
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<QSettings> settings;
    std::unique_ptr<km::MainWindow> window;

    // False when the window could not be shown.
    bool open(qint64 nowMillis)
    {
        dir = std::make_unique<QTemporaryDir>();
        if (!dir->isValid())
            return false;
        settings = std::make_unique<QSettings>(dir->filePath(QStringLiteral("kmtester.ini")), QSettings::IniFormat);
        window = std::make_unique<km::MainWindow>(settings.get(), nullptr, dir->filePath(QStringLiteral("data")));
        window->setClock([nowMillis] { return nowMillis; });
        window->openInitialWorkspace();
        window->show();
        return QTest::qWaitForWindowExposed(window.get());
    }

    void close()
    {
        window->workspace()->setModified(false);
        window.reset();
        settings.reset();
        dir.reset();
    }
};
