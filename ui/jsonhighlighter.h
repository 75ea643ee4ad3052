#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

#include <array>

class QPalette;

namespace km {

// Colours JSON text one block (line) at a time. JSON strings cannot contain a raw line break,
// so no state is carried between blocks and an edit only rehighlights the lines it touches.
// A string is a key when the next non-space character on its line is ':'.
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    // Lines longer than this (a big message in compact form) stay plain: Qt lays a whole line out
    // again on every key press, and thousands of colour runs make that several times slower.
    static constexpr int LongLineLimit = 10000;

    enum class Token { Key, String, Number, Keyword, Punctuation };

    explicit JsonHighlighter(QTextDocument *document);

    // Picks the colour set for the palette (light or dark base) and rehighlights if it changed.
    void setPalette(const QPalette &palette);
    QTextCharFormat tokenFormat(Token token) const;

protected:
    void highlightBlock(const QString &text) override;

private:
    static constexpr int TokenCount = 5;
    std::array<QTextCharFormat, TokenCount> m_formats;
};

} // namespace km
