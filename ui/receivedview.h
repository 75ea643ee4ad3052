#pragma once

#include <QWidget>

class QAbstractItemModel;
class QLabel;
class QTableView;

namespace km {

class SendController;

// What the built-in endpoint received, decoded into person (_p), event (_n) and properties, each
// marked matching or not matching the preview it was sent from (the difference as tooltip).
class ReceivedView : public QWidget
{
    Q_OBJECT

public:
    enum Column { TimeColumn, RequestColumn, PersonColumn, EventColumn, PropertiesColumn, MatchColumn, ColumnCount };
    // Data roles of the match column, for tests and delegates.
    enum Role { MatchRole = Qt::UserRole + 1 };

    explicit ReceivedView(SendController *controller, QWidget *parent = nullptr);
    ~ReceivedView() override;

    QAbstractItemModel *model() const;
    QTableView *table() const { return m_table; }
    void updateEndpointText();

private:
    SendController *m_controller;
    QAbstractItemModel *m_model = nullptr;
    QLabel *m_endpoint = nullptr;
    QTableView *m_table = nullptr;
};

} // namespace km
