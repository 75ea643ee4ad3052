#pragma once

#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QUrl>
#include <QUuid>

namespace km {

// A named place to send to ("Local endpoint", "Kissmetrics production"), with a colour so the
// window can show at a glance which one is active. The API key is deliberately not a member: it
// lives in the SecretStore under apiKeySecretName(id()); the profile only records whether one
// was stored.
class Profile
{
public:
    enum class Target {
        BuiltInEndpoint, // the app's own tracking server on 127.0.0.1 (its port is the endpoint's setting)
        Kissmetrics,     // the real API
        CustomUrl,       // a proxy, a staging collector
    };

    static constexpr const char *KissmetricsUrl = "https://trk.kissmetrics.io";

    Profile() = default; // a null profile: no id
    // A new profile with a fresh id and the target's default base URL.
    Profile(const QString &name, Target target, const QString &color = {});

    bool isNull() const { return m_id.isNull(); }

    QUuid id() const { return m_id; }
    void setId(const QUuid &id) { m_id = id; }

    QString name() const { return m_name; }
    void setName(const QString &name) { m_name = name; }

    Target target() const { return m_target; }
    // Does not touch the base URL: a URL typed for one target is kept if the user switches back.
    void setTarget(Target target) { m_target = target; }

    // Where calls go: Kissmetrics' URL by default for Kissmetrics (host editable), the user's URL
    // for a custom target, unused for the built-in endpoint (which is on loopback by definition).
    QUrl baseUrl() const { return m_baseUrl; }
    void setBaseUrl(const QUrl &url) { m_baseUrl = url; }
    static QUrl defaultBaseUrl(Target target);

    // "#rrggbb" (core has no QColor); setColor() ignores anything else.
    QString color() const { return m_color; }
    void setColor(const QString &color);
    static bool isValidColor(const QString &color);

    bool isKeyStored() const { return m_keyStored; }
    void setKeyStored(bool stored) { m_keyStored = stored; }

    // True for the built-in endpoint and for URLs whose host is loopback (localhost, 127.0.0.0/8, ::1).
    bool isLoopback() const;
    // A real send leaves this machine: the app asks before the session's first one.
    bool needsConfirmation() const { return !isLoopback(); }

    // Empty when the profile can be used; otherwise what is wrong, for people.
    QString validationError() const;

    // The SecretStore entry of this profile's API key: "profile/<uuid>/apiKey".
    QString apiKeySecretName() const { return apiKeySecretName(m_id); }
    static QString apiKeySecretName(const QUuid &id);

    // {"id", "name", "target": "builtInEndpoint"|"kissmetrics"|"customUrl", "baseUrl", "color", "keyStored"}
    QJsonObject toJson() const;
    // Fails (false, and why) on a missing id or an unknown target; other members fall back to defaults.
    static bool fromJson(const QJsonObject &object, Profile *profile, QString *error = nullptr);

    static QString targetName(Target target); // "builtInEndpoint", ...
    static bool targetFromName(const QString &name, Target *target);

    friend bool operator==(const Profile &, const Profile &) = default;

private:
    QUuid m_id;
    QString m_name;
    Target m_target = Target::BuiltInEndpoint;
    QUrl m_baseUrl;
    QString m_color;
    bool m_keyStored = false;
};

} // namespace km

Q_DECLARE_METATYPE(km::Profile)
