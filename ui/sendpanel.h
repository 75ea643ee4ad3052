#pragma once

#include <QWidget>

class QAbstractItemModel;
class QDoubleSpinBox;
class QSpinBox;
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
    enum Column {
        CallColumn,
        RequestColumn,
        StateColumn,
        StatusColumn,
        LatencyColumn,
        AttemptsColumn,
        NotesColumn,
        ColumnCount
    };

    explicit SendPanel(SendController *controller, QWidget *parent = nullptr);
    ~SendPanel() override;

    QAbstractItemModel *model() const;
    QTableView *table() const { return m_table; }
    QProgressBar *progressBar() const { return m_progress; }
    QString countsText() const;
    // Where the current batch goes, as the user should read it ("Local endpoint — http://127.0.0.1:5123").
    void setTargetText(const QString &text);

    // Applied to the controller's Sender as they change.
    QSpinBox *concurrencySpinBox() const { return m_concurrency; }
    QDoubleSpinBox *rateLimitSpinBox() const { return m_rateLimit; }
    // The built-in endpoint's port (0: automatic); "Apply" restarts the endpoint on it.
    QSpinBox *endpointPortSpinBox() const { return m_port; }
    QPushButton *applyPortButton() const { return m_applyPort; }
    // Moves the built-in endpoint to the port in the spin box; false (and says why) on failure.
    bool applyEndpointPort();
    void updateEndpointText();

Q_SIGNALS:
    // The built-in endpoint now listens on the port the user chose (0: automatic), to be remembered.
    void endpointPortChanged(quint16 port);

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
    QSpinBox *m_concurrency = nullptr;
    QDoubleSpinBox *m_rateLimit = nullptr;
    QSpinBox *m_port = nullptr;
    QPushButton *m_applyPort = nullptr;
    QLabel *m_endpointUrl = nullptr;
};

} // namespace km
