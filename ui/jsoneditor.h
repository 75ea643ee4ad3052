#pragma once

#include "jsonreader.h"
#include "value.h"

#include <QPlainTextEdit>

#include <string>

namespace km {

class JsonHighlighter;

// A plain-text editor for one JSON message: monospace, line numbers, two-space indentation,
// syntax colours and live validation with km::JsonReader (the error is underlined, shown as a
// tooltip and reported with its line and column).
//
// For a window that keeps its own QUndoStack: turn the editor's undo off with
// setUndoRedoEnabled(false) (Undo/Redo key presses then reach the window's shortcuts), push a
// command on textEdited(), and have the command call setJsonText(), which emits no textEdited().
class JsonEditor : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit JsonEditor(QWidget *parent = nullptr);
    ~JsonEditor() override;

    // Replaces the text without emitting textEdited(). Only the span that differs is rewritten,
    // so colours elsewhere are kept and a cursor outside that span stays on its text; a cursor
    // inside it keeps its line and column (clamped). Line breaks are normalised to '\n'.
    void setJsonText(const std::string &utf8);
    std::string jsonText() const;

    bool isValid() const { return m_valid; }
    // "line L, column C: message", or empty when the text is valid.
    QString errorMessage() const { return m_errorMessage; }
    // 1-based; columns count characters (code points), as km::JsonReader reports them. 0 when valid.
    int errorLine() const { return m_errorLine; }
    int errorColumn() const { return m_errorColumn; }

    JsonHighlighter *highlighter() const { return m_highlighter; }

public slots:
    // Re-lay the text out with two-space indentation, or with no whitespace at all. Only
    // whitespace between tokens changes: member order, duplicate keys, number spellings and
    // string escapes stay exactly as written. Nothing happens while the text is invalid.
    void prettyPrint();
    void compact();
    // 1-based line and column (code points, like errorLine()/errorColumn()), clamped to the text.
    void goToLineColumn(int line, int column);

signals:
    // The text changed by anything other than setJsonText(): typing, paste, drop, prettyPrint(),
    // compact(), or the editor's own undo/redo when that is enabled.
    void textEdited(const std::string &utf8);
    // Emitted when validity, message or position change. line and column are 0 when valid.
    void validationChanged(bool valid, const QString &message, int line, int column);

protected:
    bool event(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    enum class Style { Pretty, Compact };

    void onTextChanged();
    void validate();
    void updateErrorSelection();
    void reformat(Style style);
    // cursorTarget: where the cursor goes afterwards (document position), or -1 to keep it.
    void replaceText(const QString &text, int cursorTarget = -1);
    QString documentText() const;
    int positionOf(int line, int column) const;
    void applyPalette();

    void insertNewline();
    void indentSelection();
    void unindentSelection();

    int lineNumberAreaWidth() const;
    void updateLineNumberAreaWidth();
    void updateLineNumberArea(const QRect &rect, int dy);
    void paintLineNumberArea(QPaintEvent *event);

    JsonHighlighter *m_highlighter = nullptr;
    QWidget *m_lineNumberArea = nullptr;

    JsonReader m_reader;
    Arena m_arena;
    // The text as UTF-8 followed by JsonReader::Padding spare bytes, so it is parsed in place.
    std::string m_utf8;
    std::size_t m_utf8Size = 0;

    bool m_settingText = false;
    bool m_valid = false;
    QString m_errorMessage;
    int m_errorLine = 0;
    int m_errorColumn = 0;
    // The underlined character as document positions [start, end); start < 0 when none.
    int m_errorStart = -1;
    int m_errorEnd = -1;
    QColor m_errorColour;
};

} // namespace km
