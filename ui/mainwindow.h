#pragma once

#include <QMainWindow>

class QAction;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    QAction *quitAction() const { return m_quitAction; }
    QAction *aboutAction() const { return m_aboutAction; }

private slots:
    void showAbout();

private:
    void createMenus();

    QAction *m_quitAction = nullptr;
    QAction *m_aboutAction = nullptr;
};
