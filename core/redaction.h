#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace km {

// What a secret becomes in logs, history, exports and screenshots.
inline constexpr const char *SecretPlaceholder = "<API_KEY>";

// Replaces every occurrence of each secret with "<API_KEY>": as is, and percent-encoded in any
// way (each byte either as itself or as %XX, hex digits of either case, and '+' for a space), so
// a key survives neither in a URL nor in a form body nor in a cURL line. Longer secrets are
// replaced first, so one that contains another leaves nothing behind. Empty secrets are ignored.
QByteArray redactSecrets(const QByteArray &text, const QList<QByteArray> &secrets);
QString redactSecrets(const QString &text, const QList<QByteArray> &secrets);

// For display: "••••••••c273" (eight dots, then the last four characters). A secret shorter
// than 12 characters shows no characters at all, since four would be too much of it; an empty
// one gives an empty string (no key).
QString maskSecret(const QString &secret);

// The known secrets, collected once and applied wherever text leaves the app.
class Redactor
{
public:
    Redactor() = default;
    explicit Redactor(const QList<QByteArray> &secrets);

    void addSecret(const QByteArray &secret); // empty and repeated ones are ignored
    void removeSecret(const QByteArray &secret);
    void clear();
    QList<QByteArray> secrets() const { return m_secrets; }
    bool isEmpty() const { return m_secrets.isEmpty(); }

    QByteArray redact(const QByteArray &text) const { return redactSecrets(text, m_secrets); }
    QString redact(const QString &text) const { return redactSecrets(text, m_secrets); }

private:
    QList<QByteArray> m_secrets;
};

} // namespace km
