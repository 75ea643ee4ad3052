#pragma once

#include "configuration.h"
#include "workspace.h"

#include <QUndoCommand>

namespace km {

// Undoable edits of a workspace. Calls are addressed by id, so commands stay valid while other
// commands move calls around.

// Typing in either view (form or JSON). Consecutive edits of the same call from the same view in
// the same "typing run" merge into one step; the window starts a new run when the cursor moves
// elsewhere, another call is selected or the view changes.
class EditCallCommand : public QUndoCommand
{
public:
    enum class Source { JsonEditor, Form };
    EditCallCommand(Workspace *workspace,
                    const QUuid &id,
                    std::string before,
                    std::string after,
                    Source source = Source::JsonEditor,
                    int typingRun = 0);
    void undo() override;
    void redo() override;
    int id() const override { return 1; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    Workspace *m_workspace;
    QUuid m_id;
    std::string m_before;
    std::string m_after;
    Source m_source;
    int m_typingRun;
};

class InsertCallsCommand : public QUndoCommand
{
public:
    InsertCallsCommand(Workspace *workspace, int index, std::vector<std::string> calls, const QString &text);
    void undo() override;
    void redo() override;
    const std::vector<QUuid> &ids() const { return m_ids; }

private:
    Workspace *m_workspace;
    int m_index;
    std::vector<Call> m_calls;
    std::vector<QUuid> m_ids;
};

class RemoveCallsCommand : public QUndoCommand
{
public:
    RemoveCallsCommand(Workspace *workspace, QList<int> indexes);
    void undo() override;
    void redo() override;

private:
    Workspace *m_workspace;
    std::vector<std::pair<int, Call>> m_removed; // ascending index order
};

class MoveCallCommand : public QUndoCommand
{
public:
    MoveCallCommand(Workspace *workspace, int from, int to);
    void undo() override;
    void redo() override;

private:
    Workspace *m_workspace;
    int m_from;
    int m_to;
};

// A settings change; consecutive changes (typing an API key) merge. A change with its own text
// ("Use the capture's settings") is a step of its own and never merges.
class ConfigurationCommand : public QUndoCommand
{
public:
    ConfigurationCommand(Workspace *workspace, Configuration before, Configuration after, const QString &text = {});
    void undo() override;
    void redo() override;
    int id() const override { return 2; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    Workspace *m_workspace;
    Configuration m_before;
    Configuration m_after;
    bool m_mergeable = true;
};

class ComparisonCommand : public QUndoCommand
{
public:
    ComparisonCommand(Workspace *workspace, std::optional<Configuration> after);
    void undo() override;
    void redo() override;

private:
    void apply(const std::optional<Configuration> &comparison);
    Workspace *m_workspace;
    std::optional<Configuration> m_before;
    std::optional<Configuration> m_after;
};

} // namespace km
