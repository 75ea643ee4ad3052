#include "mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(QStringLiteral("kmtester"));

    createMenus();

    auto *placeholder = new QLabel(tr("The full kmtester window is coming soon.\n\n"
                                      "It will let you compose or import Segment calls and see exactly what "
                                      "Kissmetrics receives from each engine."),
                                   this);
    placeholder->setObjectName(QStringLiteral("placeholderLabel"));
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    placeholder->setMargin(24);
    setCentralWidget(placeholder);

    statusBar()->showMessage(tr("Ready"));
    resize(900, 600);
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->setObjectName(QStringLiteral("fileMenu"));
    m_quitAction = fileMenu->addAction(tr("&Quit"));
    m_quitAction->setObjectName(QStringLiteral("actionQuit"));
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->setObjectName(QStringLiteral("helpMenu"));
    m_aboutAction = helpMenu->addAction(tr("&About kmtester"));
    m_aboutAction->setObjectName(QStringLiteral("actionAbout"));
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About kmtester"),
                       tr("<h3>kmtester %1</h3>"
                          "<p>A desktop debugger for the Segment &rarr; Kissmetrics destination.</p>"
                          "<p>Compose or import Segment calls and see exactly what Kissmetrics receives "
                          "from each engine: segment-device, segment-cloud, rudder-device and rudder-cloud.</p>")
                               .arg(QApplication::applicationVersion()));
}
