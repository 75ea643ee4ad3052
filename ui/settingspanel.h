#pragma once

#include "configuration.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;

namespace km {

// The destination settings beside the preview: connection mode (engine), API Key, the three
// toggles and the device-mode environment. Each toggle says its default for the chosen engine
// and whether that engine reads it at all. Edits are reported whole through
// configurationEdited(); setConfiguration() never emits.
class SettingsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit SettingsPanel(QWidget *parent = nullptr);

    void setConfiguration(const Configuration &configuration);
    Configuration configuration() const { return m_configuration; }
    void setComparison(const std::optional<Configuration> &comparison);

    static QString engineTitle(EngineId engine);
    // "segment-cloud, prefix on" style one-line description of a configuration.
    static QString describe(const Configuration &configuration);

signals:
    void configurationEdited(const km::Configuration &configuration);
    void pinComparisonRequested();
    void clearComparisonRequested();

private:
    void buildUi();
    void refresh();
    void emitEdited();
    void setSetting(const char *key, bool on);

    Configuration m_configuration;
    bool m_updating = false;
    QComboBox *m_engineCombo = nullptr;
    QLineEdit *m_apiKeyEdit = nullptr;
    QToolButton *m_revealButton = nullptr;
    QCheckBox *m_prefixCheck = nullptr;
    QCheckBox *m_categorizedCheck = nullptr;
    QCheckBox *m_namedCheck = nullptr;
    QLabel *m_prefixNote = nullptr;
    QLabel *m_categorizedNote = nullptr;
    QLabel *m_namedNote = nullptr;
    QCheckBox *m_skipPageViewCheck = nullptr;
    QLineEdit *m_userAgentEdit = nullptr;
    QLabel *m_environmentNote = nullptr;
    QLabel *m_comparisonLabel = nullptr;
    QPushButton *m_pinButton = nullptr;
    QPushButton *m_clearComparisonButton = nullptr;
};

} // namespace km
