#include "jsonhighlighter.h"

#include <QColor>
#include <QGuiApplication>
#include <QPalette>

namespace km {

namespace {

bool isJsonSpace(char16_t c)
{
    return c == u' ' || c == u'\t' || c == u'\r' || c == u'\n';
}

bool isPunctuation(char16_t c)
{
    return c == u'{' || c == u'}' || c == u'[' || c == u']' || c == u',' || c == u':';
}

bool isNumberChar(char16_t c)
{
    return (c >= u'0' && c <= u'9') || c == u'-' || c == u'+' || c == u'.' || c == u'e' || c == u'E';
}

bool isWordChar(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

// Mixes two colours; used to tone punctuation down towards the background.
QColor blend(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(a.redF() * (1 - t) + b.redF() * t, a.greenF() * (1 - t) + b.greenF() * t,
                            a.blueF() * (1 - t) + b.blueF() * t);
}

QTextCharFormat foreground(const QColor &colour)
{
    QTextCharFormat format;
    format.setForeground(colour);
    return format;
}

} // namespace

JsonHighlighter::JsonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    setPalette(QGuiApplication::palette());
}

void JsonHighlighter::setPalette(const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    // Saturated hues chosen per background: dark text on light bases, light pastels on dark ones,
    // each pair keeping a contrast ratio above 4.5 against the usual Fusion bases.
    const bool dark = base.lightnessF() < 0.5;
    std::array<QTextCharFormat, TokenCount> formats;
    formats[int(Token::Key)] = foreground(dark ? QColor(0x7c, 0xb8, 0xff) : QColor(0x1a, 0x4f, 0x9c));
    formats[int(Token::String)] = foreground(dark ? QColor(0x9f, 0xd6, 0x86) : QColor(0x2a, 0x75, 0x2e));
    formats[int(Token::Number)] = foreground(dark ? QColor(0xf2, 0xac, 0x6b) : QColor(0xa4, 0x4a, 0x00));
    formats[int(Token::Keyword)] = foreground(dark ? QColor(0xd7, 0xa0, 0xf5) : QColor(0x86, 0x22, 0xa6));
    formats[int(Token::Punctuation)] = foreground(blend(text, base, 0.35));

    if (formats == m_formats)
        return;
    m_formats = formats;
    if (document())
        rehighlight();
}

QTextCharFormat JsonHighlighter::tokenFormat(Token token) const
{
    return m_formats[int(token)];
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    const char16_t *s = reinterpret_cast<const char16_t *>(text.constData());
    const qsizetype n = text.size();
    if (n > LongLineLimit)
        return;
    qsizetype i = 0;
    // Every character is looked at a bounded number of times (a string's trailing spaces twice),
    // so a block costs time linear in its length.
    while (i < n) {
        const char16_t c = s[i];
        const qsizetype start = i;
        if (c == u'"') {
            ++i;
            while (i < n) {
                if (s[i] == u'\\') {
                    i += 2; // the escaped character, a quote included, cannot end the string
                    continue;
                }
                if (s[i++] == u'"')
                    break;
            }
            i = qMin(i, n);
            qsizetype next = i;
            while (next < n && isJsonSpace(s[next]))
                ++next;
            const bool key = next < n && s[next] == u':';
            setFormat(int(start), int(i - start), m_formats[int(key ? Token::Key : Token::String)]);
        } else if (isPunctuation(c)) {
            while (i < n && isPunctuation(s[i]))
                ++i;
            setFormat(int(start), int(i - start), m_formats[int(Token::Punctuation)]);
        } else if (c == u'-' || (c >= u'0' && c <= u'9')) {
            while (i < n && isNumberChar(s[i]))
                ++i;
            setFormat(int(start), int(i - start), m_formats[int(Token::Number)]);
        } else if (isWordChar(c)) {
            while (i < n && isWordChar(s[i]))
                ++i;
            const QStringView word(s + start, i - start);
            if (word == u"true" || word == u"false" || word == u"null")
                setFormat(int(start), int(i - start), m_formats[int(Token::Keyword)]);
        } else {
            ++i;
        }
    }
}

} // namespace km
