#include "jsoneditor.h"
#include "jsonhighlighter.h"
#include "jsonreader.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <string>
#include <vector>

using km::JsonEditor;
using km::JsonHighlighter;

namespace {

QString u(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

std::string s(const QString &text)
{
    return text.toStdString();
}

// UTF-16 offset of a 1-based line and code-point column, computed independently of the editor.
int offsetOf(const QString &text, int line, int column)
{
    int offset = 0;
    for (int l = 1; l < line; ++l)
        offset = int(text.indexOf(u'\n', offset)) + 1;
    for (int c = 1; c < column; ++c)
        offset += text.at(offset).isHighSurrogate() ? 2 : 1;
    return offset;
}

// The highlighter's format at a position of a block (an empty format where it set none).
QTextCharFormat formatAt(const QTextBlock &block, int positionInBlock)
{
    const QList<QTextLayout::FormatRange> ranges = block.layout()->formats();
    for (const QTextLayout::FormatRange &range : ranges) {
        if (positionInBlock >= range.start && positionInBlock < range.start + range.length)
            return range.format;
    }
    return {};
}

QColor colourAt(const QTextBlock &block, int positionInBlock)
{
    return formatAt(block, positionInBlock).foreground().color();
}

QColor tokenColour(const JsonEditor &editor, JsonHighlighter::Token token)
{
    return editor.highlighter()->tokenFormat(token).foreground().color();
}

QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0x2d, 0x2d, 0x2d));
    palette.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    palette.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    palette.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    return palette;
}

// A track call of about 200 KB once pretty-printed: an order with many products.
std::string bigMessage()
{
    std::string json =
            R"({"type":"track","event":"Order Completed","userId":"user-1","properties":{"order_id":"50314b8e9bcf000000000000","total":27.5,"products":[)";
    for (int i = 0; json.size() < 170 * 1024; ++i) {
        if (i > 0)
            json += ',';
        json += R"({"product_id":"507f1f77bcf86cd79943)" + std::to_string(9000 + i) + R"(","sku":"G-)"
                + std::to_string(i)
                + "\",\"name\":\"Monopoly: 3rd Edition \\\"deluxe\\\"\",\"price\":19.99,\"quantity\":"
                + std::to_string(i % 5 + 1)
                + R"(,"category":"Games","in_stock":true,"coupon":null,"tags":["board","family"]})";
    }
    json += R"(]},"context":{"ip":"8.8.8.8","userAgent":"Mozilla/5.0"},"timestamp":"2024-01-02T03:04:05.000Z"})";
    return json;
}

double median(std::vector<double> samples)
{
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

} // namespace

class TestJsonEditor : public QObject
{
    Q_OBJECT

private slots:
    void typingEmitsTextEditedAndValidation();
    void brokenDocuments_data();
    void brokenDocuments();
    void fixingTheErrorClearsTheUnderline();
    void tooltipOverError();
    void reformat_data();
    void reformat();
    void reformatKeepsCursorOnItsToken();
    void reformatDoesNothingWhenInvalid();
    void setJsonTextDoesNotEmitTextEdited();
    void setJsonTextKeepsCursor_data();
    void setJsonTextKeepsCursor();
    void jsonTextRoundTrip_data();
    void jsonTextRoundTrip();
    void highlighterKeysAndValues();
    void highlighterLeavesVeryLongLinesPlain();
    void highlighterFollowsPalette();
    void goToLineColumn_data();
    void goToLineColumn();
    void goToLineColumnScrollsIntoView();
    void tabAndAutoIndent();
    void tabIndentsSelectedLines();
    void undoKeysReachTheWindowWhenUndoIsOff();
    void timing200KB();
};

void TestJsonEditor::typingEmitsTextEditedAndValidation()
{
    JsonEditor editor;
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QVERIFY(!editor.isValid()); // an empty text is not JSON
    QSignalSpy edited(&editor, &JsonEditor::textEdited);
    QSignalSpy validation(&editor, &JsonEditor::validationChanged);

    QTest::keyClicks(&editor, QStringLiteral("{\"a\":1"));
    QCOMPARE(edited.count(), 6);
    QCOMPARE(edited.last().at(0).value<std::string>(), std::string(R"({"a":1)"));
    QVERIFY(!editor.isValid());
    QVERIFY(validation.count() > 0);
    QCOMPARE(validation.last().at(0).toBool(), false);
    QCOMPARE(validation.last().at(1).toString(), QStringLiteral("line 1, column 7: unexpected end of input"));

    QTest::keyClick(&editor, '}');
    QCOMPARE(edited.count(), 7);
    QCOMPARE(editor.jsonText(), std::string(R"({"a":1})"));
    QVERIFY(editor.isValid());
    QCOMPARE(validation.last(), (QVariantList{true, QString(), 0, 0}));
    QVERIFY(editor.extraSelections().isEmpty());

    // Staying valid emits no further validationChanged.
    const qsizetype validations = validation.count();
    QTest::keyClick(&editor, Qt::Key_Left);
    QTest::keyClick(&editor, '2');
    QCOMPARE(editor.jsonText(), std::string(R"({"a":12})"));
    QCOMPARE(validation.count(), validations);

    QTest::keyClick(&editor, Qt::Key_End);
    QTest::keyClick(&editor, 'x');
    QVERIFY(!editor.isValid());
    QCOMPARE(editor.errorLine(), 1);
    QCOMPARE(editor.errorColumn(), 9);
    QCOMPARE(validation.last(),
             (QVariantList{false, QStringLiteral("line 1, column 9: trailing content after the JSON value"), 1, 9}));
    QCOMPARE(edited.last().at(0).value<std::string>(), std::string(R"({"a":12}x)"));
}

void TestJsonEditor::brokenDocuments_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("underlined");
    // Where the underline starts when that is not at (line, column): the end-of-input fallback.
    QTest::addColumn<int>("underlineStart");

    QTest::newRow("missing comma") << u(R"({"a":1 "b":2})") << 1 << 8 << u("expected ',' or '}' after a member")
                                   << u("\"") << -1;
    QTest::newRow("multi-line literal") << u("{\n  \"a\": 1,\n  \"b\": trux\n}") << 3 << 11 << u("unexpected character")
                                        << u("x") << -1;
    QTest::newRow("trailing comma") << u("[1,2,]") << 1 << 5 << u("trailing comma before ']'") << u(",") << -1;
    QTest::newRow("emoji before the error")
            << u("{\"e\":\"😀😀\", x}") << 1 << 12 << u("expected a key in double quotes after ','") << u("x") << -1;
    QTest::newRow("emoji is the error") << u("[1, 😀]") << 1 << 5 << u("unexpected character") << u("😀") << -1;
    QTest::newRow("emoji on an earlier line")
            << u("{\"😀\": 1,\n \"a\" 2}") << 2 << 6 << u("expected ':' after a key") << u("2") << -1;
    QTest::newRow("astral characters on the error line")
            << u("[\"𝄞𝄞𝄞\", \"🎉\" 3]") << 1 << 13 << u("expected ',' or ']' after an array element") << u("3") << -1;
    QTest::newRow("unterminated string") << u("{\"a\": \"abc") << 1 << 7 << u("unterminated string") << u("\"") << -1;
    QTest::newRow("end of input after blank lines")
            << u("{\"a\": 1\n\n") << 3 << 1 << u("unexpected end of input") << u("1") << 6;
    QTest::newRow("end of input") << u("[1, 2") << 1 << 6 << u("unexpected end of input") << u("2") << 4;
    QTest::newRow("no-break space is not whitespace")
            << u("{\"a\":\u00a01}") << 1 << 6 << u("unexpected character") << u("\u00a0") << -1;
    QTest::newRow("leading zero") << u("[01]") << 1 << 2 << u("number with a leading zero") << u("0") << -1;
    QTest::newRow("tab in a string") << u("[\"a\tb\"]") << 1 << 4 << u("control character") << u("\t") << -1;
    QTest::newRow("invalid escape") << u("[\"\\x\"]") << 1 << 3 << u("invalid escape \\x") << u("\\") << -1;
    QTest::newRow("unquoted key") << u("{\n\ta: 1}") << 2 << 2 << u("expected a key in double quotes or '}'") << u("a")
                                  << -1;
}

void TestJsonEditor::brokenDocuments()
{
    QFETCH(QString, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    QFETCH(QString, underlined);
    QFETCH(int, underlineStart);

    JsonEditor editor;
    QSignalSpy validation(&editor, &JsonEditor::validationChanged);
    editor.setJsonText(s(text));

    QVERIFY(!editor.isValid());
    QCOMPARE(editor.errorLine(), line);
    QCOMPARE(editor.errorColumn(), column);
    const QString prefix = QStringLiteral("line %1, column %2: ").arg(line).arg(column);
    QVERIFY2(editor.errorMessage().startsWith(prefix), qPrintable(editor.errorMessage()));
    QVERIFY2(editor.errorMessage().contains(message), qPrintable(editor.errorMessage()));

    QCOMPARE(validation.count(), 1);
    const QVariantList args = validation.first();
    QCOMPARE(args.at(0).toBool(), false);
    QCOMPARE(args.at(1).toString(), editor.errorMessage());
    QCOMPARE(args.at(2).toInt(), line);
    QCOMPARE(args.at(3).toInt(), column);

    const QList<QTextEdit::ExtraSelection> selections = editor.extraSelections();
    QCOMPARE(selections.size(), 1);
    const QTextEdit::ExtraSelection &selection = selections.first();
    const int start = underlineStart >= 0 ? underlineStart : offsetOf(text, line, column);
    QCOMPARE(selection.cursor.selectionStart(), start);
    QCOMPARE(selection.cursor.selectionEnd(), start + int(underlined.size()));
    QCOMPARE(selection.cursor.selectedText(), underlined);
    QCOMPARE(selection.format.underlineStyle(), QTextCharFormat::WaveUnderline);
    QVERIFY(selection.format.underlineColor().isValid());
}

void TestJsonEditor::fixingTheErrorClearsTheUnderline()
{
    JsonEditor editor;
    editor.setJsonText(R"({"a":1,})");
    QCOMPARE(editor.extraSelections().size(), 1);

    // The error moves with the text: the underline follows it.
    editor.setJsonText(R"({"abc":1,})");
    QCOMPARE(editor.errorColumn(), 9);
    QCOMPARE(editor.extraSelections().first().cursor.selectionStart(), 8);

    QSignalSpy validation(&editor, &JsonEditor::validationChanged);
    editor.setJsonText(R"({"abc":1})");
    QVERIFY(editor.isValid());
    QVERIFY(editor.extraSelections().isEmpty());
    QCOMPARE(editor.errorMessage(), QString());
    QCOMPARE(editor.errorLine(), 0);
    QCOMPARE(editor.errorColumn(), 0);
    QCOMPARE(validation.count(), 1);
    QCOMPARE(validation.first().at(0).toBool(), true);
}

void TestJsonEditor::tooltipOverError()
{
    JsonEditor editor;
    editor.resize(500, 300);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    editor.setJsonText("{\n  \"a\": 1\n  \"b\": 2\n}");
    QCOMPARE(editor.errorLine(), 3);

    QTextCursor at = editor.extraSelections().first().cursor;
    at.setPosition(at.selectionStart());
    const QRect box = editor.cursorRect(at);
    const QPoint onError(box.left() + editor.fontMetrics().averageCharWidth() / 2, box.center().y());
    QHelpEvent over(QEvent::ToolTip, onError, editor.viewport()->mapToGlobal(onError));
    QApplication::sendEvent(editor.viewport(), &over);
    QTRY_VERIFY(QToolTip::isVisible());
    QCOMPARE(QToolTip::text(), editor.errorMessage());

    const QPoint elsewhere(box.left() + 12 * editor.fontMetrics().averageCharWidth(), box.center().y() - box.height());
    QHelpEvent away(QEvent::ToolTip, elsewhere, editor.viewport()->mapToGlobal(elsewhere));
    QApplication::sendEvent(editor.viewport(), &away);
    QTRY_VERIFY(!QToolTip::isVisible());
}

void TestJsonEditor::reformat_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("pretty");
    QTest::addColumn<QString>("compact");

    QTest::newRow("member order") << u(R"({"z":1,"a":{"c":[1,2],"b":null}})")
                                  << u("{\n  \"z\": 1,\n  \"a\": {\n    \"c\": [\n      1,\n      2\n    ],\n"
                                       "    \"b\": null\n  }\n}")
                                  << u(R"({"z":1,"a":{"c":[1,2],"b":null}})");
    // JavaScript would enumerate "1" and "2" first and keep one "b": the text must not.
    QTest::newRow("integer-like and duplicate keys")
            << u("{ \"b\" : 1,\n\t\"2\": 2, \"1\":3 ,\"b\":4 }")
            << u("{\n  \"b\": 1,\n  \"2\": 2,\n  \"1\": 3,\n  \"b\": 4\n}") << u(R"({"b":1,"2":2,"1":3,"b":4})");
    QTest::newRow("numbers and escapes as written")
            << u("[1.0, -0, 1e400, 1E+2, \"a\\\"b\\\\\", \"\\u00e9\", \"😀\", true, false]")
            << u("[\n  1.0,\n  -0,\n  1e400,\n  1E+2,\n  \"a\\\"b\\\\\",\n  \"\\u00e9\",\n  \"😀\",\n  true,\n  "
                 "false\n]")
            << u("[1.0,-0,1e400,1E+2,\"a\\\"b\\\\\",\"\\u00e9\",\"😀\",true,false]");
    QTest::newRow("empty containers") << u(R"({"a":{ },"b":[],"c":[{}, [ ]]})")
                                      << u("{\n  \"a\": {},\n  \"b\": [],\n  \"c\": [\n    {},\n    []\n  ]\n}")
                                      << u(R"({"a":{},"b":[],"c":[{},[]]})");
    QTest::newRow("structural characters in strings")
            << u(R"({"a, b": "{[: ]}", "c": " "})") << u("{\n  \"a, b\": \"{[: ]}\",\n  \"c\": \" \"\n}")
            << u(R"({"a, b":"{[: ]}","c":" "})");
    QTest::newRow("scalar") << u("  \"text\"\n") << u("\"text\"") << u("\"text\"");
    QTest::newRow("empty object") << u("{\n}") << u("{}") << u("{}");
}

void TestJsonEditor::reformat()
{
    QFETCH(QString, input);
    QFETCH(QString, pretty);
    QFETCH(QString, compact);

    JsonEditor editor;
    editor.setJsonText(s(input));
    QVERIFY(editor.isValid());
    QSignalSpy edited(&editor, &JsonEditor::textEdited);

    editor.prettyPrint();
    QCOMPARE(QString::fromStdString(editor.jsonText()), pretty);
    QCOMPARE(editor.toPlainText(), pretty);
    if (pretty != input) {
        // A reformat is the user's edit: the window records it for its undo stack.
        QCOMPARE(edited.count(), 1);
        QCOMPARE(edited.last().at(0).value<std::string>(), s(pretty));
    }
    QVERIFY(editor.isValid());

    editor.compact();
    QCOMPARE(QString::fromStdString(editor.jsonText()), compact);
    editor.prettyPrint();
    QCOMPARE(QString::fromStdString(editor.jsonText()), pretty);
}

void TestJsonEditor::reformatKeepsCursorOnItsToken()
{
    JsonEditor editor;
    const QString compact = u(R"({"z":1,"a":{"c":[1,2],"b":null}})");
    editor.setJsonText(s(compact));
    const int before = int(compact.indexOf(u("\"b\""))) + 1; // before the b of key "b"
    QTextCursor cursor = editor.textCursor();
    cursor.setPosition(before);
    editor.setTextCursor(cursor);

    editor.prettyPrint();
    const QTextCursor after = editor.textCursor();
    QCOMPARE(after.blockNumber(), 7);
    QCOMPARE(after.positionInBlock(), 5);
    QCOMPARE(editor.document()->characterAt(after.position()), QChar(u'b'));

    editor.compact();
    QCOMPARE(editor.textCursor().position(), before);
}

void TestJsonEditor::reformatDoesNothingWhenInvalid()
{
    JsonEditor editor;
    const std::string broken = "{\"a\": [1,\n 2,]}";
    editor.setJsonText(broken);
    QVERIFY(!editor.isValid());
    const QString message = editor.errorMessage();
    QSignalSpy edited(&editor, &JsonEditor::textEdited);
    QSignalSpy validation(&editor, &JsonEditor::validationChanged);

    editor.prettyPrint();
    editor.compact();
    QCOMPARE(editor.jsonText(), broken);
    QCOMPARE(edited.count(), 0);
    QCOMPARE(validation.count(), 0);
    QCOMPARE(editor.errorMessage(), message);
    QCOMPARE(editor.extraSelections().size(), 1);
}

void TestJsonEditor::setJsonTextDoesNotEmitTextEdited()
{
    JsonEditor editor;
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QSignalSpy edited(&editor, &JsonEditor::textEdited);
    QSignalSpy validation(&editor, &JsonEditor::validationChanged);

    editor.setJsonText(R"({"a":1})");
    editor.setJsonText(R"({"a":2})");
    editor.setJsonText(R"({"a":2})"); // unchanged: nothing happens at all
    editor.setJsonText(R"({"a":)");
    QCOMPARE(edited.count(), 0);
    QCOMPARE(validation.count(), 2); // valid, then invalid

    // The same editor still reports what the user types.
    QTest::keyClick(&editor, Qt::Key_End);
    QTest::keyClicks(&editor, QStringLiteral("3}"));
    QCOMPARE(edited.count(), 2);
    QCOMPARE(editor.jsonText(), std::string(R"({"a":3})"));
}

void TestJsonEditor::setJsonTextKeepsCursor_data()
{
    QTest::addColumn<QString>("before");
    QTest::addColumn<int>("line"); // 1-based cursor position in `before`
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("after");
    QTest::addColumn<int>("expectedLine");
    QTest::addColumn<int>("expectedColumn");

    const QString doc = u("{\n  \"event\": \"Signed Up\",\n  \"userId\": \"u1\",\n  \"properties\": {}\n}");
    QTest::newRow("change on an earlier line")
            << doc << 4 << 5
            << u("{\n  \"event\": \"Signed Up Again\",\n  \"userId\": \"u1\",\n  \"properties\": {}\n}") << 4 << 5;
    QTest::newRow("line inserted after the cursor")
            << doc << 2 << 4
            << u("{\n  \"event\": \"Signed Up\",\n  \"userId\": \"u1\",\n  \"x\": 1,\n  \"properties\": {}\n}") << 2
            << 4;
    QTest::newRow("undo of a typed character") << u("{\n  \"a\": 12\n}") << 2 << 10 << u("{\n  \"a\": 1\n}") << 2 << 9;
    QTest::newRow("redo of a typed character") << u("{\n  \"a\": 1\n}") << 2 << 9 << u("{\n  \"a\": 12\n}") << 2 << 10;
    QTest::newRow("cursor in the rewritten span keeps line and column")
            << doc << 3 << 8 << u("{\n  \"event\": \"Signed Up\",\n  \"anonymousId\": \"a9\",\n  \"properties\": {}\n}")
            << 3 << 8;
    QTest::newRow("whole text replaced, clamped") << doc << 4 << 12 << u("[\n 1,\n 2\n]") << 4 << 2;
    QTest::newRow("shorter text, cursor stays after the last brace") << doc << 5 << 2 << u("{}") << 1 << 3;
    QTest::newRow("emoji before the cursor") << u("[\"😀\", \"ab\"]") << 1 << 9 << u("[\"😀😀\", \"ab\"]") << 1 << 10;
}

void TestJsonEditor::setJsonTextKeepsCursor()
{
    QFETCH(QString, before);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, after);
    QFETCH(int, expectedLine);
    QFETCH(int, expectedColumn);

    JsonEditor editor;
    editor.resize(400, 300);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    editor.setJsonText(s(before));
    editor.goToLineColumn(line, column);
    QCOMPARE(editor.textCursor().position(), offsetOf(before, line, column));

    editor.setJsonText(s(after));
    QCOMPARE(editor.textCursor().position(), offsetOf(after, expectedLine, expectedColumn));
}

void TestJsonEditor::jsonTextRoundTrip_data()
{
    QTest::addColumn<std::string>("input");
    QTest::addColumn<std::string>("output");

    QTest::newRow("ascii") << std::string(R"({"a":[1,2]})") << std::string(R"({"a":[1,2]})");
    // No-break space and U+2028 are string content, not whitespace or line breaks.
    QTest::newRow("special spaces") << std::string("{\"a\":\"x\xc2\xa0y\xe2\x80\xa8z\"}")
                                    << std::string("{\"a\":\"x\xc2\xa0y\xe2\x80\xa8z\"}");
    QTest::newRow("astral") << std::string("[\"\xf0\x9f\x98\x80\"]") << std::string("[\"\xf0\x9f\x98\x80\"]");
    QTest::newRow("CRLF") << std::string("{\r\n  \"a\": 1\r\n}\r\n") << std::string("{\n  \"a\": 1\n}\n");
    QTest::newRow("CR") << std::string("[1,\r2]") << std::string("[1,\n2]");
    QTest::newRow("empty") << std::string() << std::string();
}

void TestJsonEditor::jsonTextRoundTrip()
{
    QFETCH(std::string, input);
    QFETCH(std::string, output);

    JsonEditor editor;
    editor.setJsonText(input);
    QCOMPARE(editor.jsonText(), output);
    QCOMPARE(editor.isValid(), !output.empty());
    QCOMPARE(editor.blockCount(), int(std::count(output.begin(), output.end(), '\n')) + 1);
}

void TestJsonEditor::highlighterKeysAndValues()
{
    JsonEditor editor;
    // Written with escapes, not as a raw string: moc 6.4 misreads \" inside raw strings.
    const QString line = u("{\"key\": \"value\", \"n\": -12.5e3, \"t\": true, \"z\": null, "
                           "\"q\\\"k\" : \"v\\\"x\", \"x\\\\\": \"y\", \"e\": 1}");
    editor.setJsonText(s(line));
    QVERIFY(editor.isValid());
    const QTextBlock block = editor.document()->firstBlock();

    const QColor key = tokenColour(editor, JsonHighlighter::Token::Key);
    const QColor string = tokenColour(editor, JsonHighlighter::Token::String);
    const QColor number = tokenColour(editor, JsonHighlighter::Token::Number);
    const QColor keyword = tokenColour(editor, JsonHighlighter::Token::Keyword);
    const QColor punctuation = tokenColour(editor, JsonHighlighter::Token::Punctuation);
    QVERIFY(key != string);
    QVERIFY(number != string && number != key && keyword != number && punctuation != key);

    auto at = [&](const char *needle, int offset = 0) {
        const qsizetype index = line.indexOf(u(needle));
        Q_ASSERT(index >= 0);
        return int(index) + offset;
    };
    QCOMPARE(colourAt(block, at("\"key\"")), key);
    QCOMPARE(colourAt(block, at("\"key\"", 4)), key); // the closing quote too
    QCOMPARE(colourAt(block, at("\"value\"")), string);
    QVERIFY(formatAt(block, at("\"value\"")) != formatAt(block, at("\"key\"")));
    QCOMPARE(colourAt(block, at("-12.5e3")), number);
    QCOMPARE(colourAt(block, at("-12.5e3", 6)), number);
    QCOMPARE(colourAt(block, at("true")), keyword);
    QCOMPARE(colourAt(block, at("null", 3)), keyword);
    QCOMPARE(colourAt(block, 0), punctuation);
    QCOMPARE(colourAt(block, at(": \"value\"")), punctuation);
    // Escaped quotes do not end a string: the whole of "q\"k" is a key and "v\"x" a value...
    QCOMPARE(colourAt(block, at("q\\\"k", 3)), key);
    QCOMPARE(colourAt(block, at("v\\\"x", 3)), string);
    // ...an escaped backslash does not escape the closing quote...
    QCOMPARE(colourAt(block, at("\"x\\\\\"")), key);
    QCOMPARE(colourAt(block, at("\"y\"")), string);
    // ...and what follows is read in step.
    QCOMPARE(colourAt(block, at("\"e\"")), key);
    QCOMPARE(colourAt(block, at(": 1}", 2)), number);
    QVERIFY(!formatAt(block, at(" \"n\"")).foreground().style()); // whitespace is left alone

    // Multi-line documents are coloured line by line, each line on its own.
    editor.setJsonText("{\n  \"a\": \"b\\\"\",\n  \"c\": [1, \"d\"]\n}");
    const QTextBlock third = editor.document()->findBlockByNumber(2);
    QCOMPARE(colourAt(third, 2), key);
    QCOMPARE(colourAt(third, 8), number);
    QCOMPARE(colourAt(third, 11), string);
    const QTextBlock second = editor.document()->findBlockByNumber(1);
    QCOMPARE(colourAt(second, 7), string);
    QCOMPARE(colourAt(second, 11), string); // the closing quote after \"
    QCOMPARE(colourAt(second, 12), punctuation);
}

void TestJsonEditor::highlighterLeavesVeryLongLinesPlain()
{
    auto compactArray = [](int minLength) {
        std::string json = "[";
        for (int i = 0; int(json.size()) < minLength; ++i)
            json += "{\"k\":\"v\"},";
        json.back() = ']';
        return json;
    };
    JsonEditor editor;
    editor.setJsonText(compactArray(2000));
    QVERIFY(!editor.document()->firstBlock().layout()->formats().isEmpty());

    editor.setJsonText(compactArray(JsonHighlighter::LongLineLimit + 1));
    QVERIFY(editor.isValid());
    QVERIFY(editor.document()->firstBlock().layout()->formats().isEmpty());
    editor.prettyPrint(); // short lines again: coloured
    QCOMPARE(colourAt(editor.document()->findBlockByNumber(2), 4), tokenColour(editor, JsonHighlighter::Token::Key));
}

void TestJsonEditor::highlighterFollowsPalette()
{
    JsonEditor editor;
    QPalette light;
    light.setColor(QPalette::Base, Qt::white);
    light.setColor(QPalette::Text, Qt::black);
    editor.setPalette(light);
    editor.setJsonText(R"({"key": "value"})");
    const QTextBlock block = editor.document()->firstBlock();
    const QColor lightKey = colourAt(block, 1);
    QVERIFY(lightKey.lightnessF() < 0.5);
    editor.setJsonText("{\"key\": }");
    const QColor lightError = editor.extraSelections().first().format.underlineColor();

    editor.setPalette(darkPalette());
    const QColor darkKey = colourAt(editor.document()->firstBlock(), 1);
    QVERIFY(darkKey.lightnessF() > 0.5);
    QCOMPARE(darkKey, tokenColour(editor, JsonHighlighter::Token::Key));
    const QColor darkError = editor.extraSelections().first().format.underlineColor();
    QVERIFY(darkError != lightError);
    QVERIFY(darkError.lightnessF() > lightError.lightnessF());
}

void TestJsonEditor::goToLineColumn_data()
{
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("block");
    QTest::addColumn<int>("positionInBlock");

    // Line 2 is `  "😀": "a",`: the emoji is one column but two UTF-16 units.
    QTest::newRow("line start") << 2 << 1 << 1 << 0;
    QTest::newRow("at the emoji") << 2 << 4 << 1 << 3;
    QTest::newRow("after the emoji") << 2 << 5 << 1 << 5;
    QTest::newRow("column past the end") << 2 << 100 << 1 << 12;
    QTest::newRow("line past the end") << 99 << 1 << 3 << 0;
    QTest::newRow("zero") << 0 << 0 << 0 << 0;
}

void TestJsonEditor::goToLineColumn()
{
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(int, block);
    QFETCH(int, positionInBlock);

    JsonEditor editor;
    editor.setJsonText("{\n  \"\xf0\x9f\x98\x80\": \"a\",\n  \"b\": 2\n}");
    editor.goToLineColumn(line, column);
    QCOMPARE(editor.textCursor().blockNumber(), block);
    QCOMPARE(editor.textCursor().positionInBlock(), positionInBlock);
}

void TestJsonEditor::goToLineColumnScrollsIntoView()
{
    JsonEditor editor;
    editor.resize(400, 200);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    std::string json = "[\n";
    for (int i = 0; i < 1000; ++i)
        json += "  " + std::to_string(i) + ",\n";
    json += "  1000\n]";
    editor.setJsonText(json);
    QCOMPARE(editor.verticalScrollBar()->value(), 0);

    editor.goToLineColumn(900, 3);
    QCOMPARE(editor.textCursor().blockNumber(), 899);
    QCOMPARE(editor.textCursor().positionInBlock(), 2);
    QVERIFY(editor.verticalScrollBar()->value() > 0);
    QVERIFY(editor.viewport()->rect().contains(editor.cursorRect()));

    // An external update leaves the view and the cursor where they are.
    const int scrolled = editor.verticalScrollBar()->value();
    json.replace(json.find("  5,"), 4, "  55,");
    editor.setJsonText(json);
    QCOMPARE(editor.verticalScrollBar()->value(), scrolled);
    QCOMPARE(editor.textCursor().blockNumber(), 899);
    QCOMPARE(editor.textCursor().positionInBlock(), 2);
}

void TestJsonEditor::tabAndAutoIndent()
{
    JsonEditor editor;
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QSignalSpy edited(&editor, &JsonEditor::textEdited);

    QTest::keyClick(&editor, '{');
    QTest::keyClick(&editor, Qt::Key_Return);
    QCOMPARE(editor.toPlainText(), u("{\n  "));
    QTest::keyClicks(&editor, u("\"a\": ["));
    QTest::keyClick(&editor, Qt::Key_Return);
    QTest::keyClick(&editor, '1');
    QTest::keyClick(&editor, Qt::Key_Return);
    QCOMPARE(editor.toPlainText(), u("{\n  \"a\": [\n    1\n    "));
    QTest::keyClick(&editor, ']'); // back one level on a blank line
    QTest::keyClick(&editor, Qt::Key_Return);
    QTest::keyClick(&editor, '}');
    QCOMPARE(editor.toPlainText(), u("{\n  \"a\": [\n    1\n  ]\n}"));
    QVERIFY(editor.isValid());
    // Each key press is one edit, the indentation included.
    QCOMPARE(edited.count(), 14);

    // Enter between brackets opens an indented line between them.
    editor.setJsonText("{\"a\": []}");
    editor.goToLineColumn(1, 8);
    QTest::keyClick(&editor, Qt::Key_Return);
    QCOMPARE(editor.toPlainText(), u("{\"a\": [\n  \n]}"));
    QCOMPARE(editor.textCursor().blockNumber(), 1);
    QCOMPARE(editor.textCursor().positionInBlock(), 2);

    // Shift+Enter is a plain line break too, never U+2028.
    editor.setJsonText("[1,2]");
    editor.goToLineColumn(1, 4);
    QTest::keyClick(&editor, Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(editor.jsonText(), std::string("[1,\n2]"));

    // Tab inserts two spaces.
    editor.setJsonText("[\n1]");
    editor.goToLineColumn(2, 1);
    QTest::keyClick(&editor, Qt::Key_Tab);
    QCOMPARE(editor.jsonText(), std::string("[\n  1]"));
    QCOMPARE(editor.textCursor().positionInBlock(), 2);
}

void TestJsonEditor::tabIndentsSelectedLines()
{
    JsonEditor editor;
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    editor.setJsonText("{\n\"a\": 1,\n\"b\": 2\n}");
    QTextCursor cursor(editor.document());
    cursor.setPosition(offsetOf(editor.toPlainText(), 2, 2));
    cursor.setPosition(offsetOf(editor.toPlainText(), 3, 2), QTextCursor::KeepAnchor);
    editor.setTextCursor(cursor);
    QSignalSpy edited(&editor, &JsonEditor::textEdited);

    QTest::keyClick(&editor, Qt::Key_Tab);
    QCOMPARE(editor.jsonText(), std::string("{\n  \"a\": 1,\n  \"b\": 2\n}"));
    QCOMPARE(edited.count(), 1);
    QTest::keyClick(&editor, Qt::Key_Backtab);
    QCOMPARE(editor.jsonText(), std::string("{\n\"a\": 1,\n\"b\": 2\n}"));
}

void TestJsonEditor::undoKeysReachTheWindowWhenUndoIsOff()
{
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *editor = new JsonEditor(&window);
    layout->addWidget(editor);
    editor->setUndoRedoEnabled(false);
    QAction undo(QStringLiteral("Undo"));
    undo.setShortcut(QKeySequence::Undo);
    window.addAction(&undo);
    QAction redo(QStringLiteral("Redo"));
    redo.setShortcut(QKeySequence::Redo);
    window.addAction(&redo);
    QSignalSpy undone(&undo, &QAction::triggered);
    QSignalSpy redone(&redo, &QAction::triggered);

    window.show();
    QApplication::setActiveWindow(&window);
    QVERIFY(QTest::qWaitForWindowActive(&window));
    editor->setFocus();
    QTRY_VERIFY(editor->hasFocus());

    QTest::keyClicks(editor, QStringLiteral("[1]"));
    QTest::keySequence(editor, QKeySequence(QKeySequence::Undo));
    QCOMPARE(undone.count(), 1);
    QTest::keySequence(editor, QKeySequence(QKeySequence::Redo));
    QCOMPARE(redone.count(), 1);
    QCOMPARE(editor->jsonText(), std::string("[1]"));
}

void TestJsonEditor::timing200KB()
{
    const std::string compact = bigMessage();
    JsonEditor editor;
    editor.resize(800, 600);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));

    QElapsedTimer timer;
    timer.start();
    editor.setJsonText(compact);
    editor.prettyPrint();
    const double loadMs = timer.nsecsElapsed() / 1e6;
    QVERIFY(editor.isValid());
    const std::size_t prettyBytes = editor.jsonText().size();
    QVERIFY(prettyBytes >= 200 * 1024);

    // The reader alone, warm, on the same text.
    km::JsonReader reader;
    km::Arena arena;
    const std::string text = editor.jsonText();
    std::vector<double> readerMs;
    for (int i = 0; i < 30; ++i) {
        timer.restart();
        arena.reset();
        const km::JsonResult result = reader.parse(text, arena);
        readerMs.push_back(timer.nsecsElapsed() / 1e6);
        QVERIFY(result.ok());
    }

    // The editor's whole reaction to a change (text to UTF-8, parse, error state, textEdited),
    // without the document edit: replay the change notification.
    auto handleChange = [&](int runs) {
        std::vector<double> ms;
        for (int i = 0; i < runs; ++i) {
            timer.restart();
            emit editor.textChanged();
            ms.push_back(timer.nsecsElapsed() / 1e6);
        }
        return median(ms);
    };
    const double validMs = handleChange(30);

    // Keystrokes end to end: insert, highlight the line, lay it out, validate, signal.
    auto keystrokes = [&](char key) {
        std::vector<double> ms;
        for (int i = 0; i < 20; ++i) {
            timer.restart();
            QTest::keyClick(&editor, key);
            ms.push_back(timer.nsecsElapsed() / 1e6);
            QTest::keyClick(&editor, Qt::Key_Backspace);
        }
        return median(ms);
    };
    // Inside a string value in the middle of the text, so the text stays valid.
    QTextBlock middle = editor.document()->findBlockByNumber(editor.blockCount() / 2);
    while (!middle.text().contains(u("\"name\": ")))
        middle = middle.next();
    editor.goToLineColumn(middle.blockNumber() + 1, int(middle.text().indexOf(u("Monopoly"))) + 2);
    const double keyValidMs = keystrokes('x');
    QVERIFY(editor.isValid());
    editor.goToLineColumn(middle.blockNumber() + 1, 1);
    const double keyInvalidMs = keystrokes('x'); // breaks the JSON: the error path
    QTest::keyClick(&editor, 'x');
    QVERIFY(!editor.isValid());
    const double invalidMs = handleChange(30);
    QTest::keyClick(&editor, Qt::Key_Backspace);
    QVERIFY(editor.isValid());
    const int prettyLines = editor.blockCount();

    editor.compact();
    editor.goToLineColumn(1, int(compact.size() / 2));
    const double keyCompactMs = keystrokes(' ');

    qInfo("200 KB message: %zu bytes pretty (%d lines), %zu compact", prettyBytes, prettyLines, compact.size());
    qInfo("  load + prettyPrint: %.2f ms", loadMs);
    qInfo("  JsonReader::parse alone: %.3f ms (median)", median(readerMs));
    qInfo("  editor validation per change, valid text: %.3f ms (median)", validMs);
    qInfo("  editor validation per change, invalid text: %.3f ms (median)", invalidMs);
    qInfo("  keystroke end to end, pretty, stays valid: %.3f ms (median)", keyValidMs);
    qInfo("  keystroke end to end, pretty, becomes invalid: %.3f ms (median)", keyInvalidMs);
    qInfo("  keystroke end to end, compact one-line text: %.3f ms (median)", keyCompactMs);
}

QTEST_MAIN(TestJsonEditor)
#include "tst_jsoneditor.moc"
