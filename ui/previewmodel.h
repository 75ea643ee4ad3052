#pragma once

#include "outputformat.h"
#include "preview.h"
#include "translation.h"

#include "calltreemodel.h"
#include <QStringList>

#include <memory>
#include <vector>

namespace km {

// The Kissmetrics calls of one preview as a tree: the top-level rows are the output calls
// ("/e Signed Up", "/s", "record Signed Up", "identify u1", ...), their children the properties
// as Kissmetrics receives them, with the input path and the rules that shaped each one.
// HTTP engines show the CLI contract's params (what goes on the wire: strings, lists for
// repeated keys, null for bare keys; rudder-cloud keeps JSON types), device engines the
// properties object handed to window._kmq. Kissmetrics' own parameters (_n, _p, _k, ...) come
// first in each call, marked by IsReservedRole. The model keeps no pointer into the result's
// arena: everything shown is converted when the result is set.
class PreviewModel : public CallTreeModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, ValueColumn, TypeColumn, OriginColumn, RulesColumn, ColumnCount };

    enum Role {
        PathRole = Qt::UserRole + 1, // QString: the input path of a property ("properties.address.city")
        RulesRole,                   // QStringList: ruleDescription() of each rule, in rule order
        IsReservedRole,              // bool: a Kissmetrics parameter (_k, _p, _n, _t, _d, _ip, _ua)
        KeyRole,                     // QString: the property key (or the call's name on a call row)
        IsCallRole,                  // bool: a top-level output call row
    };
    Q_ENUM(Role)

    // Why a result shows no rows.
    enum class Status {
        NoResult,    // nothing set yet
        Invalid,     // the text is not a Segment message (parseError)
        Rejected,    // the engine rejects the call (translation.error)
        NothingSent, // accepted, but no output call
        Sending,     // at least one output call
    };
    Q_ENUM(Status)

    explicit PreviewModel(QObject *parent = nullptr);
    ~PreviewModel() override;

    // Shows a result. When the calls and property keys are the same as before (typing in a
    // value) only dataChanged() is emitted, so views keep their expansion, selection and
    // scroll position; otherwise the model is reset.
    void setResult(std::shared_ptr<const PreviewResult> result);
    std::shared_ptr<const PreviewResult> result() const { return m_result; }
    void clear();

    // The API key (_k) shows as "••••" + its last 4 characters unless Shown.
    void setKeyVisibility(KeyVisibility visibility);
    KeyVisibility keyVisibility() const { return m_keyVisibility; }

    Status status() const { return m_status; }

    // What a user should read instead of the calls when the model is empty: "Not a valid call:
    // line 1, column 9: ...", "Nothing is sent: segment-cloud rejects the call: ...", or
    // "Nothing is sent: " + the warnings that explain it. Empty when something is sent.
    static QString statusText(const PreviewResult &result);
    static Status statusOf(const PreviewResult &result);
    // The warnings of a translation that say why nothing is sent (all of them when none says).
    static std::vector<const Warning *> explainingWarnings(const Translation &translation);

    // "string", "number", "boolean", "null", "object", "array", "date" or "undefined".
    static QString typeName(const Value &value);
    // ruleDescription() of each rule set, lowest bit first.
    static QStringList ruleNames(PropertyRule rules);
    // A sentence per rule for tooltips ("prefixed with \"Signed Up - \"", "flattened from
    // properties.address.city").
    static QStringList ruleExplanations(PropertyRule rules, const QString &key, const QString &path);
    // "••••" + the last 4 characters ("••••" alone for keys of 4 characters or fewer).
    static QString maskedKey(const QString &key);
    static bool isReservedKey(QStringView key);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    int callCount() const override;
    int propertyCount(int call) const override;

private:
    struct Property
    {
        QString key;
        QString value; // unmasked display text (the JSON form for lists and objects)
        QString type;
        QString path;
        PropertyRule rules = PropertyRule::None;
        QStringList ruleNames;
        bool reserved = false;
    };
    struct Call
    {
        QString name;
        QString method; // "GET" / "POST" for HTTP, else empty
        std::vector<Property> properties;
    };

    static std::vector<Call> buildCalls(const PreviewResult &result);
    static bool sameShape(const std::vector<Call> &a, const std::vector<Call> &b);
    QVariant callData(const Call &call, int column, int role) const;
    QVariant propertyData(const Property &property, int column, int role) const;
    QString displayValue(const Property &property) const;

    std::shared_ptr<const PreviewResult> m_result;
    std::vector<Call> m_calls;
    Status m_status = Status::NoResult;
    KeyVisibility m_keyVisibility = KeyVisibility::Redacted;
};

} // namespace km
