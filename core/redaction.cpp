#include "redaction.h"
#include "textcodec.h"

#include <algorithm>

namespace km {

namespace {

// Where an occurrence of secret[i..] that starts at text[p] ends, or -1. Each secret byte may be
// written as itself or as %XX; a space also as '+'.
qsizetype matchFrom(const QByteArray &text, qsizetype p, const QByteArray &secret, qsizetype i)
{
    const qsizetype n = text.size();
    while (i < secret.size()) {
        if (p >= n)
            return -1;
        const char wanted = secret.at(i);
        const char c = text.at(p);
        if (c == '%' && p + 2 < n) {
            const int high = hexDigitValue(text.at(p + 1));
            const int low = hexDigitValue(text.at(p + 2));
            if (high >= 0 && low >= 0 && static_cast<char>(high * 16 + low) == wanted) {
                if (wanted == '%') {
                    // "%25" may be an encoded '%' or a literal '%' followed by "25": try both.
                    const qsizetype end = matchFrom(text, p + 3, secret, i + 1);
                    if (end >= 0)
                        return end;
                    ++p;
                } else {
                    p += 3;
                }
                ++i;
                continue;
            }
        }
        if (c == wanted || (c == '+' && wanted == ' ')) {
            ++p;
            ++i;
            continue;
        }
        return -1;
    }
    return p;
}

QByteArray redactOne(const QByteArray &text, const QByteArray &secret)
{
    const char first = secret.at(0);
    QByteArray out;
    qsizetype copiedUpTo = 0;
    qsizetype p = 0;
    while (p < text.size()) {
        const char c = text.at(p);
        if (c == first || c == '%' || (c == '+' && first == ' ')) {
            const qsizetype end = matchFrom(text, p, secret, 0);
            if (end >= 0) {
                out.append(text.constData() + copiedUpTo, p - copiedUpTo);
                out.append(SecretPlaceholder);
                copiedUpTo = p = end;
                continue;
            }
        }
        ++p;
    }
    if (copiedUpTo == 0)
        return text; // nothing found: no copy
    out.append(text.constData() + copiedUpTo, text.size() - copiedUpTo);
    return out;
}

} // namespace

QByteArray redactSecrets(const QByteArray &text, const QList<QByteArray> &secrets)
{
    QList<QByteArray> ordered;
    for (const QByteArray &secret : secrets) {
        if (!secret.isEmpty())
            ordered.append(secret);
    }
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const QByteArray &a, const QByteArray &b) { return a.size() > b.size(); });
    QByteArray result = text;
    for (const QByteArray &secret : std::as_const(ordered))
        result = redactOne(result, secret);
    return result;
}

QString redactSecrets(const QString &text, const QList<QByteArray> &secrets)
{
    return QString::fromUtf8(redactSecrets(text.toUtf8(), secrets));
}

QString maskSecret(const QString &secret)
{
    if (secret.isEmpty())
        return {};
    // A fixed number of dots, so the mask does not tell the key's length either.
    QString masked(8, QChar(0x2022));
    if (secret.size() >= 12)
        masked += secret.right(4);
    return masked;
}

Redactor::Redactor(const QList<QByteArray> &secrets)
{
    for (const QByteArray &secret : secrets)
        addSecret(secret);
}

void Redactor::addSecret(const QByteArray &secret)
{
    if (!secret.isEmpty() && !m_secrets.contains(secret))
        m_secrets.append(secret);
}

void Redactor::removeSecret(const QByteArray &secret)
{
    m_secrets.removeAll(secret);
}

void Redactor::clear()
{
    m_secrets.clear();
}

} // namespace km
