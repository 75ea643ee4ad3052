#include "undocommands.h"

#include <QCoreApplication>

#include <algorithm>

namespace km {

EditCallCommand::EditCallCommand(
        Workspace *workspace, const QUuid &id, std::string before, std::string after, Source source, int typingRun)
    : m_workspace(workspace)
    , m_id(id)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_source(source)
    , m_typingRun(typingRun)
{
    setText(QCoreApplication::translate("km::EditCallCommand", "Edit call"));
}

void EditCallCommand::undo()
{
    const int index = m_workspace->indexOf(m_id);
    if (index >= 0)
        m_workspace->setCallJson(index, m_before);
}

void EditCallCommand::redo()
{
    const int index = m_workspace->indexOf(m_id);
    if (index >= 0 && m_workspace->call(index).json != m_after)
        m_workspace->setCallJson(index, m_after);
}

bool EditCallCommand::mergeWith(const QUndoCommand *other)
{
    const auto *edit = static_cast<const EditCallCommand *>(other);
    if (edit->m_id != m_id || edit->m_source != m_source || edit->m_typingRun != m_typingRun)
        return false;
    m_after = edit->m_after;
    return true;
}

InsertCallsCommand::InsertCallsCommand(Workspace *workspace,
                                       int index,
                                       std::vector<std::string> calls,
                                       const QString &text)
    : m_workspace(workspace)
    , m_index(index)
{
    setText(text);
    for (std::string &json : calls) {
        const QUuid id = QUuid::createUuid();
        m_calls.push_back(Call{id, std::move(json)});
        m_ids.push_back(id);
    }
}

void InsertCallsCommand::undo()
{
    for (const QUuid &id : m_ids) {
        const int index = m_workspace->indexOf(id);
        if (index >= 0)
            m_workspace->removeCall(index);
    }
}

void InsertCallsCommand::redo()
{
    int index = std::clamp(m_index, 0, m_workspace->callCount());
    for (std::size_t i = 0; i < m_calls.size(); ++i)
        m_ids[i] = m_workspace->insertCall(index++, m_calls[i]);
}

RemoveCallsCommand::RemoveCallsCommand(Workspace *workspace, QList<int> indexes)
    : m_workspace(workspace)
{
    std::sort(indexes.begin(), indexes.end());
    indexes.erase(std::unique(indexes.begin(), indexes.end()), indexes.end());
    for (int index : indexes)
        if (index >= 0 && index < workspace->callCount())
            m_removed.emplace_back(index, workspace->call(index));
    setText(m_removed.size() == 1 ? QCoreApplication::translate("km::RemoveCallsCommand", "Delete call")
                                  : QCoreApplication::translate("km::RemoveCallsCommand", "Delete %n calls", nullptr,
                                                                int(m_removed.size())));
}

void RemoveCallsCommand::undo()
{
    for (const auto &[index, call] : m_removed)
        m_workspace->insertCall(index, call);
}

void RemoveCallsCommand::redo()
{
    for (auto it = m_removed.rbegin(); it != m_removed.rend(); ++it) {
        const int index = m_workspace->indexOf(it->second.id);
        if (index >= 0)
            m_workspace->removeCall(index);
    }
}

MoveCallCommand::MoveCallCommand(Workspace *workspace, int from, int to)
    : m_workspace(workspace)
    , m_from(from)
    , m_to(to)
{
    setText(QCoreApplication::translate("km::MoveCallCommand", "Move call"));
}

void MoveCallCommand::undo()
{
    m_workspace->moveCall(m_to, m_from);
}

void MoveCallCommand::redo()
{
    m_workspace->moveCall(m_from, m_to);
}

ConfigurationCommand::ConfigurationCommand(Workspace *workspace,
                                           Configuration before,
                                           Configuration after,
                                           const QString &text)
    : m_workspace(workspace)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_mergeable(text.isEmpty())
{
    setText(text.isEmpty() ? QCoreApplication::translate("km::ConfigurationCommand", "Change settings") : text);
}

void ConfigurationCommand::undo()
{
    m_workspace->setConfiguration(m_before);
}

void ConfigurationCommand::redo()
{
    if (!(m_workspace->configuration() == m_after))
        m_workspace->setConfiguration(m_after);
}

bool ConfigurationCommand::mergeWith(const QUndoCommand *other)
{
    const auto *change = static_cast<const ConfigurationCommand *>(other);
    if (!m_mergeable || !change->m_mergeable)
        return false;
    // Merge typing in the API key field, not toggles (each toggle is its own step).
    if (change->m_after.engine != m_after.engine)
        return false;
    for (const char *toggle : {"prefixProperties", "trackCategorizedPages", "trackNamedPages"}) {
        if (change->m_after.settings.values().value(toggle).isTruthy()
            != m_after.settings.values().value(toggle).isTruthy())
            return false;
    }
    if (change->m_after.environment.isSkipPageView() != m_after.environment.isSkipPageView())
        return false;
    m_after = change->m_after;
    return true;
}

ComparisonCommand::ComparisonCommand(Workspace *workspace, std::optional<Configuration> after)
    : m_workspace(workspace)
    , m_before(workspace->comparison())
    , m_after(std::move(after))
{
    setText(m_after ? QCoreApplication::translate("km::ComparisonCommand", "Pin comparison")
                    : QCoreApplication::translate("km::ComparisonCommand", "Clear comparison"));
}

void ComparisonCommand::apply(const std::optional<Configuration> &comparison)
{
    if (comparison)
        m_workspace->setComparison(*comparison);
    else
        m_workspace->clearComparison();
}

void ComparisonCommand::undo()
{
    apply(m_before);
}

void ComparisonCommand::redo()
{
    apply(m_after);
}

} // namespace km
