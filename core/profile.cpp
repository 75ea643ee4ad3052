#include "profile.h"

#include <QCoreApplication>
#include <QHostAddress>

namespace km {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("km::Profile", text);
}

} // namespace

Profile::Profile(const QString &name, Target target, const QString &color)
    : m_id(QUuid::createUuid())
    , m_name(name)
    , m_target(target)
    , m_baseUrl(defaultBaseUrl(target))
{
    setColor(color);
}

QUrl Profile::defaultBaseUrl(Target target)
{
    return target == Target::Kissmetrics ? QUrl(QString::fromLatin1(KissmetricsUrl)) : QUrl();
}

void Profile::setColor(const QString &color)
{
    if (isValidColor(color))
        m_color = color.toLower();
}

bool Profile::isValidColor(const QString &color)
{
    if (color.size() != 7 || color.at(0) != QLatin1Char('#'))
        return false;
    for (qsizetype i = 1; i < color.size(); ++i) {
        const char c = color.at(i).toLatin1();
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

bool Profile::isLoopback() const
{
    if (m_target == Target::BuiltInEndpoint)
        return true;
    if (!m_baseUrl.isValid())
        return false;
    const QString host = m_baseUrl.host();
    // "localhost" is loopback by definition (RFC 6761); other names could resolve anywhere.
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0
        || host.endsWith(QLatin1String(".localhost"), Qt::CaseInsensitive))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QString Profile::validationError() const
{
    if (m_id.isNull())
        return tr("The profile has no id.");
    if (m_name.trimmed().isEmpty())
        return tr("The profile needs a name.");
    if (m_target == Target::BuiltInEndpoint)
        return {};
    const QString scheme = m_baseUrl.scheme();
    if (!m_baseUrl.isValid() || m_baseUrl.host().isEmpty()
        || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
        return tr("The base URL must be an http:// or https:// address with a host.");
    return {};
}

QString Profile::apiKeySecretName(const QUuid &id)
{
    return QStringLiteral("profile/%1/apiKey").arg(id.toString(QUuid::WithoutBraces));
}

QString Profile::targetName(Target target)
{
    switch (target) {
    case Target::BuiltInEndpoint:
        return QStringLiteral("builtInEndpoint");
    case Target::Kissmetrics:
        return QStringLiteral("kissmetrics");
    case Target::CustomUrl:
        break;
    }
    return QStringLiteral("customUrl");
}

bool Profile::targetFromName(const QString &name, Target *target)
{
    for (const Target candidate : {Target::BuiltInEndpoint, Target::Kissmetrics, Target::CustomUrl}) {
        if (name == targetName(candidate)) {
            *target = candidate;
            return true;
        }
    }
    return false;
}

QJsonObject Profile::toJson() const
{
    QJsonObject object;
    object.insert(QLatin1String("id"), m_id.toString(QUuid::WithoutBraces));
    object.insert(QLatin1String("name"), m_name);
    object.insert(QLatin1String("target"), targetName(m_target));
    object.insert(QLatin1String("baseUrl"), m_baseUrl.toString());
    object.insert(QLatin1String("color"), m_color);
    object.insert(QLatin1String("keyStored"), m_keyStored);
    return object;
}

bool Profile::fromJson(const QJsonObject &object, Profile *profile, QString *error)
{
    const QUuid id = QUuid::fromString(object.value(QLatin1String("id")).toString());
    if (id.isNull()) {
        if (error)
            *error = tr("a profile has no valid id");
        return false;
    }
    Target target;
    const QString targetText = object.value(QLatin1String("target")).toString();
    if (!targetFromName(targetText, &target)) {
        if (error)
            *error = tr("the profile %1 has an unknown target \"%2\"")
                             .arg(id.toString(QUuid::WithoutBraces), targetText);
        return false;
    }
    Profile result;
    result.m_id = id;
    result.m_name = object.value(QLatin1String("name")).toString();
    result.m_target = target;
    result.m_baseUrl = QUrl(object.value(QLatin1String("baseUrl")).toString());
    result.setColor(object.value(QLatin1String("color")).toString());
    result.m_keyStored = object.value(QLatin1String("keyStored")).toBool();
    *profile = result;
    return true;
}

} // namespace km
