#pragma once

#include <QWidget>

class QAbstractItemModel;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace km {

class SendController;
struct SendProgress;

// What is being sent and how it went: a progress bar, live counts, Pause / Resume / Cancel, and one
// row per request (state, status, latency, attempts, failure reason, the preview's warnings).
// Only shows the controller; all logic is there.
class SendPanel : public QWidget
{
    Q_OBJECT

public:
    enum Column { CallColumn, RequestColumn, StateColumn, StatusColumn, LatencyColumn, AttemptsColumn, NotesColumn,
                  ColumnCount };

    explicit SendPanel(SendController *controller, QWidget *parent = nullptr);
    ~SendPanel() override;

    QAbstractItemModel *model() const;
    QTableView *table() const { return m_table; }
    QProgressBar *progressBar() const { return m_progress; }
    QString countsText() const;
    // Where the current batch goes, as the user should read it ("Local endpoint — http://127.0.0.1:5123").
    void setTargetText(const QString &text);

private:
    void updateProgress(const SendProgress &progress);
    void updateButtons();

    SendController *m_controller;
    QAbstractItemModel *m_model = nullptr;
    QLabel *m_target = nullptr;
    QLabel *m_counts = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_resume = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_clear = nullptr;
    QTableView *m_table = nullptr;
};

} // namespace km
