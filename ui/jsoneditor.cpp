#include "jsoneditor.h"

#include "jsonhighlighter.h"

#include <QFontDatabase>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QStringEncoder>
#include <QTextBlock>
#include <QToolTip>

#include <algorithm>

namespace km {

namespace {

constexpr QStringView IndentUnit = u"  ";
constexpr int IndentWidth = 2;

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isIndentChar(QChar c)
{
    return c == u' ' || c == u'\t';
}

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightnessF() < 0.5;
}

// UTF-8 bytes needed for a UTF-16 text (a lone surrogate becomes U+FFFD, as QStringEncoder does).
std::size_t utf8Length(QStringView text)
{
    std::size_t n = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c < 0x80) {
            n += 1;
        } else if (c < 0x800) {
            n += 2;
        } else if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            n += 4;
            ++i;
        } else {
            n += 3;
        }
    }
    return n;
}

// UTF-16 units needed for valid UTF-8 text: one per lead byte, two for 4-byte sequences.
qsizetype utf16Length(std::string_view utf8)
{
    qsizetype n = 0;
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c & 0xC0) != 0x80)
            n += c >= 0xF0 ? 2 : 1;
    }
    return n;
}

// UTF-16 offset of the 1-based code point column in a line, clamped to the line's end.
qsizetype offsetOfColumn(QStringView line, int column)
{
    qsizetype i = 0;
    for (int c = 1; c < column && i < line.size(); ++c)
        i += line[i].isHighSurrogate() && i + 1 < line.size() && line[i + 1].isLowSurrogate() ? 2 : 1;
    return i;
}

int columnOfOffset(QStringView line, qsizetype offset)
{
    int column = 1;
    for (qsizetype i = 0; i < offset && i < line.size(); ++column)
        i += line[i].isHighSurrogate() && i + 1 < line.size() && line[i + 1].isLowSurrogate() ? 2 : 1;
    return column;
}

enum class FormatStyle { Pretty, Compact };

// Re-lays out a JSON text already known to be valid. It works on tokens, not on a parsed
// km::Value: the reader orders integer-like keys first, merges duplicate keys and keeps numbers
// as doubles, as JavaScript does, whereas an editor may only touch the whitespace. *cursor is a
// byte offset in `in` on entry and the matching offset in the result on return.
std::string formatJson(std::string_view in, FormatStyle style, std::size_t *cursor)
{
    const bool pretty = style == FormatStyle::Pretty;
    std::string out;
    out.reserve(pretty ? in.size() + in.size() / 2 : in.size());
    const std::size_t cursorIn = *cursor;
    std::size_t cursorOut = std::string::npos;
    int depth = 0;

    // A cursor inside or right after a token stays there; one in whitespace moves to the next token.
    auto copy = [&](std::size_t start, std::size_t end) {
        if (cursorOut == std::string::npos && cursorIn <= end)
            cursorOut = out.size() + (cursorIn > start ? cursorIn - start : 0);
        out.append(in.substr(start, end - start));
    };
    auto newline = [&] {
        if (pretty) {
            out += '\n';
            out.append(std::size_t(depth) * IndentWidth, ' ');
        }
    };

    const std::size_t n = in.size();
    std::size_t i = 0;
    auto skipSpace = [&] {
        while (i < n && isJsonSpace(in[i]))
            ++i;
    };

    skipSpace();
    while (i < n) {
        const std::size_t start = i;
        const char c = in[i];
        if (c == '{' || c == '[') {
            ++i;
            skipSpace();
            copy(start, start + 1);
            if (i < n && in[i] == (c == '{' ? '}' : ']')) {
                copy(i, i + 1); // empty containers stay on one line
                ++i;
            } else {
                ++depth;
                newline();
            }
        } else if (c == '}' || c == ']') {
            --depth;
            newline();
            copy(i, i + 1);
            ++i;
        } else if (c == ',') {
            copy(i, i + 1);
            ++i;
            newline();
        } else if (c == ':') {
            copy(i, i + 1);
            ++i;
            if (pretty)
                out += ' ';
        } else if (c == '"') {
            ++i;
            while (i < n) {
                if (in[i] == '\\') {
                    i += 2;
                    continue;
                }
                if (in[i++] == '"')
                    break;
            }
            i = std::min(i, n);
            copy(start, i);
        } else {
            while (i < n && !isJsonSpace(in[i]) && in[i] != ',' && in[i] != ':' && in[i] != ']' && in[i] != '}')
                ++i;
            copy(start, i);
        }
        skipSpace();
    }
    *cursor = cursorOut == std::string::npos ? out.size() : cursorOut;
    return out;
}

} // namespace

JsonEditor::JsonEditor(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_highlighter(new JsonHighlighter(document()))
    , m_lineNumberArea(new QWidget(this))
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * IndentWidth);
    // The gutter is painted by the editor, which knows the block geometry.
    m_lineNumberArea->setObjectName(QStringLiteral("lineNumberArea"));
    m_lineNumberArea->installEventFilter(this);

    connect(this, &QPlainTextEdit::blockCountChanged, this, &JsonEditor::updateLineNumberAreaWidth);
    connect(this, &QPlainTextEdit::updateRequest, this, &JsonEditor::updateLineNumberArea);
    connect(this, &QPlainTextEdit::cursorPositionChanged, m_lineNumberArea, qOverload<>(&QWidget::update));
    connect(this, &QPlainTextEdit::textChanged, this, &JsonEditor::onTextChanged);

    applyPalette();
    updateLineNumberAreaWidth();
    validate();
}

JsonEditor::~JsonEditor() = default;

void JsonEditor::setJsonText(const std::string &utf8)
{
    QString text = QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
    // The document would turn each of "\r\n", "\r" and "\n" into a block; keep one per line break.
    if (text.contains(u'\r')) {
        text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
        text.replace(u'\r', u'\n');
    }
    const bool wasSetting = m_settingText;
    m_settingText = true;
    replaceText(text);
    m_settingText = wasSetting;
}

std::string JsonEditor::jsonText() const
{
    return std::string(m_utf8.data(), m_utf8Size);
}

void JsonEditor::prettyPrint()
{
    reformat(Style::Pretty);
}

void JsonEditor::compact()
{
    reformat(Style::Compact);
}

void JsonEditor::goToLineColumn(int line, int column)
{
    QTextCursor cursor(document());
    cursor.setPosition(positionOf(line, column));
    setTextCursor(cursor);
    ensureCursorVisible();
}

bool JsonEditor::event(QEvent *event)
{
    // With the document's undo off, the window's QUndoStack owns Undo/Redo: let its shortcuts
    // fire instead of the text control claiming the keys for its (empty) history.
    if (event->type() == QEvent::ShortcutOverride && !isUndoRedoEnabled()) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->matches(QKeySequence::Undo) || key->matches(QKeySequence::Redo)) {
            event->ignore();
            return true;
        }
    }
    return QPlainTextEdit::event(event);
}

bool JsonEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_lineNumberArea && event->type() == QEvent::Paint) {
        paintLineNumberArea(static_cast<QPaintEvent *>(event));
        return true;
    }
    return QPlainTextEdit::eventFilter(watched, event);
}

void JsonEditor::keyPressEvent(QKeyEvent *event)
{
    const bool tabIndents = !tabChangesFocus();
    if (!isReadOnly()) {
        if (!isUndoRedoEnabled() && (event->matches(QKeySequence::Undo) || event->matches(QKeySequence::Redo))) {
            event->ignore();
            return;
        }
        const Qt::KeyboardModifiers modifiers = event->modifiers() & ~Qt::KeypadModifier;
        switch (event->key()) {
        case Qt::Key_Tab:
            if (tabIndents && modifiers == Qt::NoModifier) {
                indentSelection();
                return;
            }
            break;
        case Qt::Key_Backtab:
            if (tabIndents) {
                unindentSelection();
                return;
            }
            break;
        case Qt::Key_Return:
        case Qt::Key_Enter:
            // Shift+Enter too: QPlainTextEdit would insert U+2028, which is not a JSON line break.
            if (modifiers == Qt::NoModifier || modifiers == Qt::ShiftModifier) {
                insertNewline();
                return;
            }
            break;
        default:
            break;
        }

        // A closing bracket typed on a line holding only indentation goes back one level.
        const QString typed = event->text();
        QTextCursor cursor = textCursor();
        if ((typed == u"}" || typed == u"]") && !cursor.hasSelection()) {
            const QString before = cursor.block().text().left(cursor.positionInBlock());
            if (!before.isEmpty() && std::all_of(before.begin(), before.end(), [](QChar c) { return c == u' '; })) {
                cursor.beginEditBlock();
                cursor.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor,
                                    int(qMin(before.size(), qsizetype(IndentWidth))));
                cursor.insertText(typed);
                cursor.endEditBlock();
                setTextCursor(cursor);
                ensureCursorVisible();
                return;
            }
        }
    }
    QPlainTextEdit::keyPressEvent(event);
}

void JsonEditor::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect contents = contentsRect();
    m_lineNumberArea->setGeometry(QRect(contents.left(), contents.top(), lineNumberAreaWidth(), contents.height()));
}

void JsonEditor::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    switch (event->type()) {
    case QEvent::PaletteChange:
    case QEvent::StyleChange:
        applyPalette();
        break;
    case QEvent::FontChange:
        setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * IndentWidth);
        updateLineNumberAreaWidth();
        break;
    default:
        break;
    }
}

bool JsonEditor::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        if (!m_valid && m_errorStart >= 0) {
            QTextCursor cursor(document());
            cursor.setPosition(m_errorStart);
            const QRect start = cursorRect(cursor);
            cursor.setPosition(m_errorEnd);
            const QRect end = cursorRect(cursor);
            // The character's box; the end cursor may sit on the next visual line when wrapped.
            QRect box = start;
            box.setRight(end.top() == start.top() ? end.left() : start.left() + fontMetrics().averageCharWidth());
            box.adjust(-1, 0, 1, 0);
            if (box.contains(help->pos())) {
                QToolTip::showText(help->globalPos(), m_errorMessage, viewport(), box);
                return true;
            }
        }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QPlainTextEdit::viewportEvent(event);
}

void JsonEditor::onTextChanged()
{
    validate();
    if (!m_settingText)
        emit textEdited(jsonText());
}

void JsonEditor::validate()
{
    const QString text = documentText();
    QStringEncoder encoder(QStringConverter::Utf8, QStringConverter::Flag::Stateless);
    const std::size_t needed = std::size_t(encoder.requiredSpace(text.size())) + JsonReader::Padding;
    if (m_utf8.size() < needed)
        m_utf8.resize(needed);
    char *end = encoder.appendToBuffer(m_utf8.data(), text);
    m_utf8Size = std::size_t(end - m_utf8.data());

    m_arena.reset();
    const JsonResult result = m_reader.parse(std::string_view(m_utf8.data(), m_utf8Size), m_utf8.size(), m_arena);
    m_arena.reset(); // only the verdict is kept

    const bool valid = result.ok();
    const QString message = valid ? QString() : QString::fromStdString(result.error->toString());
    const int line = valid ? 0 : result.error->line;
    const int column = valid ? 0 : result.error->column;
    const bool changed =
            valid != m_valid || message != m_errorMessage || line != m_errorLine || column != m_errorColumn;
    const bool wasValid = m_valid;
    m_valid = valid;
    m_errorMessage = message;
    m_errorLine = line;
    m_errorColumn = column;
    // Even an unchanged error may sit elsewhere in the document (text was added before it).
    if (!valid || !wasValid)
        updateErrorSelection();
    if (changed) {
        m_lineNumberArea->update();
        emit validationChanged(valid, message, line, column);
    }
}

void JsonEditor::updateErrorSelection()
{
    m_errorStart = -1;
    m_errorEnd = -1;
    QTextDocument *doc = document();
    if (!m_valid) {
        const int pos = positionOf(m_errorLine, m_errorColumn);
        const QTextBlock block = doc->findBlock(pos);
        const int blockEnd = block.position() + block.length() - 1; // before the block separator
        if (pos < blockEnd) {
            m_errorStart = pos;
        } else {
            // At the end of a line or of the text ("unexpected end of input") there is no character
            // to underline: mark the last visible one before it.
            int p = pos - 1;
            while (p >= 0) {
                const QChar c = doc->characterAt(p);
                if (c != u' ' && c != u'\t' && c != QChar::ParagraphSeparator)
                    break;
                --p;
            }
            if (p > 0 && doc->characterAt(p).isLowSurrogate() && doc->characterAt(p - 1).isHighSurrogate())
                --p;
            m_errorStart = p;
        }
        if (m_errorStart >= 0) {
            const bool pair = doc->characterAt(m_errorStart).isHighSurrogate()
                              && doc->characterAt(m_errorStart + 1).isLowSurrogate();
            m_errorEnd = m_errorStart + (pair ? 2 : 1);
        }
    }

    QList<QTextEdit::ExtraSelection> selections;
    if (m_errorStart >= 0) {
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(doc);
        selection.cursor.setPosition(m_errorStart);
        selection.cursor.setPosition(m_errorEnd, QTextCursor::KeepAnchor);
        selection.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        selection.format.setUnderlineColor(m_errorColour);
        // A faint tint too: a wave under a narrow character such as ',' is easy to miss.
        QColor tint = m_errorColour;
        tint.setAlpha(48);
        selection.format.setBackground(tint);
        selections.append(selection);
    }
    setExtraSelections(selections);
}

void JsonEditor::reformat(Style style)
{
    if (!m_valid)
        return;
    const QString current = documentText();
    std::size_t cursor = utf8Length(QStringView(current).left(textCursor().position()));
    const std::string out = formatJson(std::string_view(m_utf8.data(), m_utf8Size),
                                       style == Style::Pretty ? FormatStyle::Pretty : FormatStyle::Compact, &cursor);
    const int target = int(utf16Length(std::string_view(out).substr(0, cursor)));
    replaceText(QString::fromUtf8(out.data(), qsizetype(out.size())), target);
    ensureCursorVisible();
}

void JsonEditor::replaceText(const QString &text, int cursorTarget)
{
    const QString old = documentText();
    if (old == text)
        return;

    // Rewrite only the span between the common prefix and suffix: the highlighter then redoes
    // only those blocks, and cursors elsewhere keep their place in the text.
    const char16_t *a = reinterpret_cast<const char16_t *>(old.constData());
    const char16_t *b = reinterpret_cast<const char16_t *>(text.constData());
    const qsizetype limit = qMin(old.size(), text.size());
    qsizetype prefix = std::mismatch(a, a + limit, b).first - a;
    if (prefix > 0 && QChar::isHighSurrogate(a[prefix - 1]))
        --prefix;
    const qsizetype maxSuffix = limit - prefix;
    const auto oldEnd = std::make_reverse_iterator(a + old.size());
    qsizetype suffix =
            std::mismatch(oldEnd, oldEnd + maxSuffix, std::make_reverse_iterator(b + text.size())).first - oldEnd;
    if (suffix > 0 && QChar::isLowSurrogate(a[old.size() - suffix]))
        --suffix;
    const int from = int(prefix);
    const int oldTo = int(old.size() - suffix);

    const QTextCursor before = textCursor();
    const auto inSpan = [&](int p) { return p > from && p < oldTo; };
    const bool cursorInSpan = inSpan(before.position()) || inSpan(before.anchor());
    const int line = before.blockNumber() + 1;
    const int column = columnOfOffset(before.block().text(), before.positionInBlock());
    const int hScroll = horizontalScrollBar()->value();
    const int vScroll = verticalScrollBar()->value();

    QTextCursor edit(document());
    edit.beginEditBlock();
    edit.setPosition(from);
    edit.setPosition(oldTo, QTextCursor::KeepAnchor);
    const QString middle = text.mid(prefix, text.size() - suffix - prefix);
    if (middle.isEmpty())
        edit.removeSelectedText();
    else
        edit.insertText(middle);
    edit.endEditBlock();

    if (cursorTarget >= 0 || cursorInSpan) {
        QTextCursor after(document());
        after.setPosition(cursorTarget >= 0 ? qMin(cursorTarget, document()->characterCount() - 1)
                                            : positionOf(line, column));
        setTextCursor(after);
    }
    horizontalScrollBar()->setValue(hScroll);
    verticalScrollBar()->setValue(vScroll);
}

QString JsonEditor::documentText() const
{
    // toPlainText() would also turn U+00A0 into a space and U+2028 into '\n', changing string
    // contents (and hiding a non-breaking space that JSON does not accept as whitespace).
    QString text = document()->toRawText();
    text.replace(QChar::ParagraphSeparator, u'\n');
    return text;
}

int JsonEditor::positionOf(int line, int column) const
{
    const QTextDocument *doc = document();
    QTextBlock block = doc->findBlockByNumber(qBound(1, line, doc->blockCount()) - 1);
    if (!block.isValid())
        block = doc->lastBlock();
    return block.position() + int(offsetOfColumn(block.text(), column));
}

void JsonEditor::applyPalette()
{
    const QPalette pal = palette();
    m_highlighter->setPalette(pal);
    // Wave underlines are thin: a strong red on light bases, a lighter one on dark bases.
    const QColor errorColour = isDarkPalette(pal) ? QColor(0xff, 0x6b, 0x6b) : QColor(0xd3, 0x2f, 0x2f);
    if (errorColour != m_errorColour) {
        m_errorColour = errorColour;
        if (!m_valid)
            updateErrorSelection();
    }
    m_lineNumberArea->update();
}

void JsonEditor::insertNewline()
{
    QTextCursor cursor = textCursor();
    cursor.beginEditBlock();
    cursor.removeSelectedText();
    const QString line = cursor.block().text();
    const int blockStart = cursor.block().position();
    const int column = cursor.positionInBlock();

    int indent = 0;
    while (indent < column && isIndentChar(line[indent]))
        ++indent;
    int last = column - 1;
    while (last >= 0 && isIndentChar(line[last]))
        --last;
    const bool opens = last >= 0 && (line[last] == u'{' || line[last] == u'[');
    int next = column;
    while (next < line.size() && isIndentChar(line[next]))
        ++next;
    const bool closes = opens && next < line.size() && line[next] == (line[last] == u'{' ? u'}' : u']');

    if (closes) {
        // "{|}" becomes three lines with the cursor on the indented middle one.
        cursor.setPosition(blockStart + next, QTextCursor::KeepAnchor);
        cursor.removeSelectedText();
    }
    const QString indentText = line.left(indent);
    cursor.insertText(u'\n' + indentText + (opens ? IndentUnit.toString() : QString()));
    if (closes) {
        const int inside = cursor.position();
        cursor.insertText(u'\n' + indentText);
        cursor.setPosition(inside);
    }
    cursor.endEditBlock();
    setTextCursor(cursor);
    ensureCursorVisible();
}

void JsonEditor::indentSelection()
{
    QTextCursor cursor = textCursor();
    QTextDocument *doc = document();
    const QTextBlock first = doc->findBlock(cursor.selectionStart());
    QTextBlock last = doc->findBlock(cursor.selectionEnd());
    if (first == last) {
        cursor.insertText(IndentUnit.toString());
        setTextCursor(cursor);
        return;
    }
    if (cursor.selectionEnd() == last.position())
        last = last.previous(); // a selection ending at a line start leaves that line alone
    cursor.beginEditBlock();
    for (QTextBlock block = first; block.isValid(); block = block.next()) {
        QTextCursor at(block);
        at.insertText(IndentUnit.toString());
        if (block == last)
            break;
    }
    cursor.endEditBlock();
    cursor.setPosition(first.position());
    cursor.setPosition(last.position() + last.length() - 1, QTextCursor::KeepAnchor);
    setTextCursor(cursor);
}

void JsonEditor::unindentSelection()
{
    QTextCursor cursor = textCursor();
    QTextDocument *doc = document();
    const QTextBlock first = doc->findBlock(cursor.selectionStart());
    QTextBlock last = doc->findBlock(cursor.selectionEnd());
    if (first != last && cursor.selectionEnd() == last.position())
        last = last.previous();
    cursor.beginEditBlock();
    for (QTextBlock block = first; block.isValid(); block = block.next()) {
        const QString text = block.text();
        int remove = 0;
        if (text.startsWith(u'\t'))
            remove = 1;
        else
            while (remove < IndentWidth && remove < text.size() && text[remove] == u' ')
                ++remove;
        if (remove > 0) {
            QTextCursor at(block);
            at.movePosition(QTextCursor::NextCharacter, QTextCursor::KeepAnchor, remove);
            at.removeSelectedText();
        }
        if (block == last)
            break;
    }
    cursor.endEditBlock();
    setTextCursor(cursor);
}

int JsonEditor::lineNumberAreaWidth() const
{
    const QFontMetrics metrics = fontMetrics();
    const int digits = qMax(3, int(QString::number(qMax(1, blockCount())).size()));
    // A space's width of padding on each side keeps the gutter proportional at any scale.
    return metrics.horizontalAdvance(QLatin1Char('9')) * digits + 2 * metrics.horizontalAdvance(QLatin1Char(' '));
}

void JsonEditor::updateLineNumberAreaWidth()
{
    const int width = lineNumberAreaWidth();
    // Margins change only when the digit count does, not on every new line.
    if (viewportMargins().left() != width) {
        setViewportMargins(width, 0, 0, 0);
        const QRect contents = contentsRect();
        m_lineNumberArea->setGeometry(QRect(contents.left(), contents.top(), width, contents.height()));
    }
}

void JsonEditor::updateLineNumberArea(const QRect &rect, int dy)
{
    if (dy != 0)
        m_lineNumberArea->scroll(0, dy);
    else
        m_lineNumberArea->update(0, rect.y(), m_lineNumberArea->width(), rect.height());
}

void JsonEditor::paintLineNumberArea(QPaintEvent *event)
{
    const QPalette pal = palette();
    QPainter painter(m_lineNumberArea);
    painter.fillRect(event->rect(), pal.color(QPalette::Window));
    painter.setPen(pal.color(QPalette::Mid));
    const qreal right = m_lineNumberArea->width() - 0.5;
    painter.drawLine(QPointF(right, event->rect().top()), QPointF(right, event->rect().bottom() + 1));
    painter.setFont(font());

    const QFontMetricsF metrics(font());
    const qreal textRight = m_lineNumberArea->width() - metrics.horizontalAdvance(QLatin1Char(' '));
    const int currentLine = textCursor().blockNumber();
    const int errorLine = m_valid ? -1 : m_errorLine - 1;
    const QRectF exposed = event->rect();

    QTextBlock block = firstVisibleBlock();
    qreal top = blockBoundingGeometry(block).translated(contentOffset()).top();
    while (block.isValid() && top <= exposed.bottom()) {
        const qreal height = blockBoundingRect(block).height();
        if (block.isVisible() && top + height >= exposed.top()) {
            const int number = block.blockNumber();
            QColor colour = pal.color(QPalette::PlaceholderText);
            if (number == errorLine)
                colour = m_errorColour;
            else if (number == currentLine)
                colour = pal.color(QPalette::Text);
            painter.setPen(colour);
            painter.drawText(QRectF(0, top, textRight, metrics.height()), Qt::AlignRight | Qt::AlignVCenter,
                             QString::number(number + 1));
        }
        top += height;
        block = block.next();
    }
}

} // namespace km
