#include "callform.h"
#include "propertytreeeditor.h"
#include "propertytreemodel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

#include <memory>
#include <string>

using km::CallForm;
using km::PropertyTreeEditor;
using km::PropertyTreeModel;

namespace {

const std::string kTrack =
        R"({"messageId":"m-1","type":"track","event":"Signed Up","userId":"u1",)"
        R"("properties":{"plan":"Pro","seats":3,"price":9.90},)"
        R"("context":{"library":{"name":"analytics.js","version":"2.11.1"},"ip":"203.0.113.7"},)"
        R"("integrations":{"All":true,"Kissmetrics":{"prefix":false}},"sentAt":"2026-11-30T16:37:19.000Z"})";

std::string lastJson(const QSignalSpy &spy)
{
    return spy.isEmpty() ? std::string() : spy.last().at(0).value<std::string>();
}

// kTrack with one member's text replaced: the only change an edit may make.
std::string trackWith(const std::string &from, const std::string &to)
{
    std::string json = kTrack;
    const auto at = json.find(from);
    Q_ASSERT(at != std::string::npos);
    json.replace(at, from.size(), to);
    return json;
}

struct Form
{
    CallForm form;
    QSignalSpy edited{&form, &CallForm::callJsonEdited};
    // The tree's model is checked through everything the form does to it.
    QAbstractItemModelTester tester{form.propertiesEditor()->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest};

    template<typename T>
    T *child(const char *name)
    {
        return form.findChild<T *>(QString::fromLatin1(name));
    }
    QLineEdit *edit(const char *name) { return child<QLineEdit>(name); }

    // Picks a type with the keyboard, as a user would.
    void chooseType(const QString &type)
    {
        auto *combo = child<QComboBox>("typeCombo");
        combo->setFocus();
        const int target = combo->findData(type);
        QVERIFY(target >= 0);
        while (combo->currentIndex() < target)
            QTest::keyClick(combo, Qt::Key_Down);
        while (combo->currentIndex() > target)
            QTest::keyClick(combo, Qt::Key_Up);
    }
};

} // namespace

class TestCallForm : public QObject
{
    Q_OBJECT

private slots:
    void widgetsAreNamed();
    void loadsTrack();
    void typingChangesOnlyEvent();
    void clearingRemovesField();
    void newFieldIsAppended();
    void contextFieldsCreateAndRemoveContext();
    void nonStringFieldsKeepTheirType();
    void nowButtonUsesClock();
    void switchingTypeShowsFields_data();
    void switchingTypeShowsFields();
    void switchingTypeEditsOnlyType();
    void editingPropertyInTree();
    void traitsForIdentify();
    void setCallJsonEmitsNothing();
    void echoKeepsTheCursor();
    void invalidJsonDisablesForm();
    void unknownTypeAndDuplicates();
};

void TestCallForm::widgetsAreNamed()
{
    Form f;
    for (const char *name : {"userIdEdit", "anonymousIdEdit", "eventEdit", "nameEdit", "categoryEdit", "previousIdEdit",
                             "groupIdEdit", "timestampEdit", "ipEdit", "userAgentEdit"}) {
        QLineEdit *edit = f.edit(name);
        QVERIFY2(edit, name);
        QVERIFY2(!edit->accessibleName().isEmpty(), name);
        QVERIFY2(!edit->placeholderText().isEmpty(), name);
    }
    QVERIFY(f.child<QComboBox>("typeCombo"));
    QVERIFY(f.child<QPushButton>("timestampNowButton"));
    QVERIFY(f.child<PropertyTreeEditor>("propertiesEditor"));
    QCOMPARE(f.child<PropertyTreeEditor>("propertiesEditor"), f.form.propertiesEditor());
    QVERIFY(f.child<QLabel>("errorLabel"));

    // Tab goes down the form.
    const auto nextTabStop = [](QWidget *widget) {
        do
            widget = widget->nextInFocusChain();
        while (!(widget->focusPolicy() & Qt::TabFocus));
        return widget;
    };
    QCOMPARE(nextTabStop(f.child<QComboBox>("typeCombo")), f.edit("userIdEdit"));
    QCOMPARE(nextTabStop(f.edit("userIdEdit")), f.edit("anonymousIdEdit"));
    QCOMPARE(nextTabStop(f.edit("timestampEdit")), f.child<QPushButton>("timestampNowButton"));
    QCOMPARE(nextTabStop(f.child<QPushButton>("timestampNowButton")), f.edit("ipEdit"));
}

void TestCallForm::loadsTrack()
{
    Form f;
    f.form.setCallJson(kTrack);
    QCOMPARE(f.form.callType(), QStringLiteral("track"));
    QCOMPARE(f.child<QComboBox>("typeCombo")->currentData().toString(), QStringLiteral("track"));
    QCOMPARE(f.edit("eventEdit")->text(), QStringLiteral("Signed Up"));
    QCOMPARE(f.edit("userIdEdit")->text(), QStringLiteral("u1"));
    QCOMPARE(f.edit("anonymousIdEdit")->text(), QString());
    QCOMPARE(f.edit("ipEdit")->text(), QStringLiteral("203.0.113.7"));
    QCOMPARE(f.edit("userAgentEdit")->text(), QString());
    QCOMPARE(f.form.propertiesEditor()->toJson(), std::string(R"({"plan":"Pro","seats":3,"price":9.90})"));
    QCOMPARE(f.form.callJson(), kTrack);
    QCOMPARE(f.edited.count(), 0);
}

void TestCallForm::typingChangesOnlyEvent()
{
    Form f;
    f.form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&f.form));
    f.form.setCallJson(kTrack);
    QLineEdit *event = f.edit("eventEdit");
    event->setFocus();
    event->end(false);
    QTest::keyClicks(event, QStringLiteral(" Twice"));
    QCOMPARE(f.edited.count(), 6); // one message per keystroke
    QCOMPARE(lastJson(f.edited), trackWith(R"("event":"Signed Up")", R"("event":"Signed Up Twice")"));
    QCOMPARE(f.form.callJson(), lastJson(f.edited));

    // Characters JSON escapes.
    QTest::keyClicks(event, QStringLiteral("\"\\"));
    QCOMPARE(lastJson(f.edited), trackWith(R"("event":"Signed Up")", R"("event":"Signed Up Twice\"\\")"));
}

void TestCallForm::clearingRemovesField()
{
    Form f;
    f.form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&f.form));
    f.form.setCallJson(kTrack);
    QLineEdit *userId = f.edit("userIdEdit");
    userId->setFocus();
    userId->selectAll();
    QTest::keyClick(userId, Qt::Key_Backspace);
    QCOMPARE(f.edited.count(), 1);
    QCOMPARE(lastJson(f.edited), trackWith(R"("userId":"u1",)", ""));

    // Typing it again puts it at the end.
    QTest::keyClicks(userId, QStringLiteral("u2"));
    std::string expected = trackWith(R"("userId":"u1",)", "");
    expected.insert(expected.size() - 1, R"(,"userId":"u2")");
    QCOMPARE(lastJson(f.edited), expected);
}

void TestCallForm::newFieldIsAppended()
{
    Form f;
    f.form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&f.form));
    f.form.setCallJson(kTrack);
    QTest::keyClicks(f.edit("anonymousIdEdit"), QStringLiteral("a-9"));
    std::string expected = kTrack;
    expected.insert(expected.size() - 1, R"(,"anonymousId":"a-9")");
    QCOMPARE(lastJson(f.edited), expected);
}

void TestCallForm::contextFieldsCreateAndRemoveContext()
{
    Form f;
    f.form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&f.form));
    const std::string bare = R"({"type":"track","event":"E"})";
    f.form.setCallJson(bare);
    QLineEdit *agent = f.edit("userAgentEdit");
    QTest::keyClicks(agent, QStringLiteral("Moz"));
    QCOMPARE(lastJson(f.edited), std::string(R"({"type":"track","event":"E","context":{"userAgent":"Moz"}})"));
    // The context the form made goes again once emptied.
    agent->selectAll();
    QTest::keyClick(agent, Qt::Key_Delete);
    QCOMPARE(lastJson(f.edited), bare);

    // An existing context stays, with its other members in place.
    f.form.setCallJson(kTrack);
    QLineEdit *ip = f.edit("ipEdit");
    ip->selectAll();
    QTest::keyClick(ip, Qt::Key_Delete);
    QCOMPARE(lastJson(f.edited), trackWith(R"(,"ip":"203.0.113.7")", ""));
    QTest::keyClicks(agent, QStringLiteral("curl"));
    QCOMPARE(lastJson(f.edited), trackWith(R"("ip":"203.0.113.7")", R"("userAgent":"curl")"));

    // A context that is not an object is replaced where it stands.
    f.form.setCallJson(R"({"context":null,"type":"page"})");
    QTest::keyClicks(f.edit("ipEdit"), QStringLiteral("1"));
    QCOMPARE(lastJson(f.edited), std::string(R"({"context":{"ip":"1"},"type":"page"})"));
}

void TestCallForm::nonStringFieldsKeepTheirType()
{
    Form f;
    f.form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&f.form));
    f.form.setCallJson(R"({"type":"identify","userId":123,"anonymousId":null,"traits":{}})");
    QLineEdit *userId = f.edit("userIdEdit");
    QCOMPARE(userId->text(), QStringLiteral("123"));
    QVERIFY(!userId->toolTip().isEmpty());
    userId->end(false);
    QTest::keyClicks(userId, QStringLiteral("4"));
    QCOMPARE(lastJson(f.edited), std::string(R"({"type":"identify","userId":1234,"anonymousId":null,"traits":{}})"));
    QTest::keyClicks(userId, QStringLiteral("x"));
    QCOMPARE(lastJson(f.edited), std::string(R"({"type":"identify","userId":"1234x","anonymousId":null,"traits":{}})"));

    QLineEdit *anonymousId = f.edit("anonymousIdEdit");
    QCOMPARE(anonymousId->text(), QString());
    QCOMPARE(anonymousId->placeholderText(), QStringLiteral("null"));
    QTest::keyClicks(anonymousId, QStringLiteral("a"));
    QCOMPARE(lastJson(f.edited), std::string(R"({"type":"identify","userId":"1234x","anonymousId":"a","traits":{}})"));
}

void TestCallForm::nowButtonUsesClock()
{
    Form f;
    f.form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&f.form));
    qint64 now = 1796056639000; // 2026-11-30T16:37:19.000Z
    f.form.setClock([&now] { return now; });
    f.form.setCallJson(kTrack);
    auto *button = f.child<QPushButton>("timestampNowButton");
    QTest::mouseClick(button, Qt::LeftButton);
    QCOMPARE(f.edit("timestampEdit")->text(), QStringLiteral("2026-11-30T16:37:19.000Z"));
    std::string expected = kTrack;
    expected.insert(expected.size() - 1, R"(,"timestamp":"2026-11-30T16:37:19.000Z")");
    QCOMPARE(lastJson(f.edited), expected);

    // Again, later: replaced in place, milliseconds kept.
    now += 61042;
    QTest::mouseClick(button, Qt::LeftButton);
    expected.replace(expected.find("16:37:19.000Z\"}"), 13, "16:38:20.042Z");
    QCOMPARE(lastJson(f.edited), expected);
    QCOMPARE(f.edited.count(), 2);
}

void TestCallForm::switchingTypeShowsFields_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QStringList>("shown");
    QTest::addColumn<QString>("treeLabel"); // empty: no tree

    const QStringList common = {"userIdEdit", "anonymousIdEdit", "timestampEdit", "ipEdit", "userAgentEdit"};
    QTest::newRow("page") << "page" << common + QStringList{"nameEdit", "categoryEdit"} << "Properties:";
    QTest::newRow("screen") << "screen" << common + QStringList{"nameEdit", "categoryEdit"} << "Properties:";
    QTest::newRow("identify") << "identify" << common << "Traits:";
    QTest::newRow("track") << "track" << common + QStringList{"eventEdit"} << "Properties:";
    QTest::newRow("group") << "group" << common + QStringList{"groupIdEdit"} << "Traits:";
    QTest::newRow("alias") << "alias" << common + QStringList{"previousIdEdit"} << QString();
}

void TestCallForm::switchingTypeShowsFields()
{
    QFETCH(QString, type);
    QFETCH(QStringList, shown);
    QFETCH(QString, treeLabel);

    Form f;
    f.form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&f.form));
    f.form.setCallJson(R"({"type":"track"})");
    f.chooseType(type);
    QCOMPARE(f.form.callType(), type);
    for (const char *name : {"userIdEdit", "anonymousIdEdit", "eventEdit", "nameEdit", "categoryEdit", "previousIdEdit",
                             "groupIdEdit", "timestampEdit", "ipEdit", "userAgentEdit"}) {
        QCOMPARE(f.edit(name)->isVisible(), shown.contains(QLatin1String(name)));
    }
    QCOMPARE(f.child<QPushButton>("timestampNowButton")->isVisible(), true);
    QCOMPARE(f.form.propertiesEditor()->isVisible(), !treeLabel.isEmpty());
    if (!treeLabel.isEmpty())
        QCOMPARE(f.child<QLabel>("propertiesLabel")->text().remove(QLatin1Char('&')), treeLabel);

    // Same view when the message arrives with that type.
    Form g;
    g.form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&g.form));
    g.form.setCallJson(R"({"type":")" + type.toStdString() + R"("})");
    for (const char *name : {"eventEdit", "nameEdit", "previousIdEdit", "groupIdEdit"})
        QCOMPARE(g.edit(name)->isVisible(), shown.contains(QLatin1String(name)));
    QCOMPARE(g.edited.count(), 0);
}

void TestCallForm::switchingTypeEditsOnlyType()
{
    Form f;
    f.form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&f.form));
    f.form.setCallJson(kTrack);
    f.chooseType(QStringLiteral("page"));
    // The event stays in the message (just hidden), the properties tree stays.
    QCOMPARE(lastJson(f.edited), trackWith(R"("type":"track")", R"("type":"page")"));
    QVERIFY(!f.edit("eventEdit")->isVisible());
    QVERIFY(f.edit("nameEdit")->isVisible());
    QCOMPARE(f.form.propertiesEditor()->toJson(), std::string(R"({"plan":"Pro","seats":3,"price":9.90})"));

    // identify edits traits: absent, so an empty tree.
    f.chooseType(QStringLiteral("identify"));
    QCOMPARE(lastJson(f.edited), trackWith(R"("type":"track")", R"("type":"identify")"));
    QCOMPARE(f.form.propertiesEditor()->toJson(), std::string("{}"));
}

void TestCallForm::editingPropertyInTree()
{
    Form f;
    f.form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&f.form));
    f.form.setCallJson(kTrack);
    PropertyTreeModel *model = f.form.propertiesEditor()->model();

    QCOMPARE(model->index(0, PropertyTreeModel::KeyColumn).data().toString(), QStringLiteral("plan"));
    QVERIFY(model->setData(model->index(0, PropertyTreeModel::ValueColumn), QStringLiteral("Enterprise")));
    QCOMPARE(lastJson(f.edited), trackWith(R"("plan":"Pro")", R"("plan":"Enterprise")"));

    // Through the view's editor, as a user does.
    QTreeView *view = f.form.propertiesEditor()->view();
    const QModelIndex seats = model->index(1, PropertyTreeModel::ValueColumn);
    view->setCurrentIndex(seats);
    view->edit(seats);
    auto *edit = view->findChild<QLineEdit *>(QStringLiteral("numberEditor"));
    QVERIFY(edit);
    QTRY_VERIFY(edit->hasFocus());
    edit->selectAll();
    QTest::keyClicks(edit, QStringLiteral("12"));
    QTest::keyClick(edit, Qt::Key_Return);
    QTRY_COMPARE(lastJson(f.edited), trackWith(R"("plan":"Pro","seats":3)", R"("plan":"Enterprise","seats":12)"));

    // A new property goes at the end of properties.
    view->setCurrentIndex(model->index(2, 0));
    f.form.propertiesEditor()->addMemberAction()->trigger();
    QCOMPARE(lastJson(f.edited), trackWith(R"("plan":"Pro","seats":3,"price":9.90)",
                                           R"("plan":"Enterprise","seats":12,"price":9.90,"newKey":"")"));
    QCOMPARE(f.edited.count(), 3);

    // A message without properties gets them at its end.
    f.form.setCallJson(R"({"type":"track","event":"E"})");
    QVERIFY(model->addChild({}, QStringLiteral("k"), PropertyTreeModel::NodeType::Boolean, true).isValid());
    QCOMPARE(lastJson(f.edited), std::string(R"({"type":"track","event":"E","properties":{"k":true}})"));
}

void TestCallForm::traitsForIdentify()
{
    Form f;
    f.form.setCallJson(R"({"type":"identify","traits":{"email":"a@b.c"},"properties":{"x":1}})");
    PropertyTreeModel *model = f.form.propertiesEditor()->model();
    QCOMPARE(model->toJson(), std::string(R"({"email":"a@b.c"})"));
    QVERIFY(model->setData(model->index(0, PropertyTreeModel::KeyColumn), QStringLiteral("mail")));
    QCOMPARE(lastJson(f.edited), std::string(R"({"type":"identify","traits":{"mail":"a@b.c"},"properties":{"x":1}})"));
}

void TestCallForm::setCallJsonEmitsNothing()
{
    Form f;
    f.form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&f.form));
    f.form.setCallJson(kTrack);
    f.form.setCallJson(R"({"type":"page","name":"Home","properties":{"a":[1,{"b":null}]}})");
    f.form.setCallJson("{ broken");
    f.form.setCallJson(R"({"type":"alias","previousId":"p"})");
    f.form.setCallJson(kTrack);
    QCOMPARE(f.edited.count(), 0);
    QCOMPARE(f.form.propertiesEditor()->toJson(), std::string(R"({"plan":"Pro","seats":3,"price":9.90})"));
}

void TestCallForm::echoKeepsTheCursor()
{
    Form f;
    f.form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&f.form));
    f.form.setCallJson(kTrack);
    QLineEdit *event = f.edit("eventEdit");
    event->setFocus();
    event->setCursorPosition(6); // "Signed| Up"
    QTest::keyClicks(event, QStringLiteral("!"));
    // The JSON editor sends the text back, pretty-printed: nothing moves.
    const std::string echoed = "{\n  " + lastJson(f.edited).substr(1);
    f.form.setCallJson(echoed);
    QCOMPARE(event->text(), QStringLiteral("Signed! Up"));
    QCOMPARE(event->cursorPosition(), 7);
    QCOMPARE(f.form.callJson(), lastJson(f.edited));
    QCOMPARE(f.edited.count(), 1);
}

void TestCallForm::invalidJsonDisablesForm()
{
    Form f;
    f.form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&f.form));
    f.form.setCallJson(kTrack);
    QVERIFY(f.edit("eventEdit")->isEnabled());
    QLabel *error = f.child<QLabel>("errorLabel");
    QVERIFY(!error->isVisible());

    f.form.setCallJson("{\"type\":\"track\",\n\"event\":}");
    QVERIFY(f.form.hasJsonError());
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QLatin1String("JSON editor has an error")), qPrintable(error->text()));
    QVERIFY2(error->text().contains(QLatin1String("line 2")), qPrintable(error->text()));
    QVERIFY(!f.edit("eventEdit")->isEnabled());
    QVERIFY(!f.child<QComboBox>("typeCombo")->isEnabled());
    QVERIFY(!f.form.propertiesEditor()->isEnabled());
    QVERIFY(!f.child<QPushButton>("timestampNowButton")->isEnabled());

    // Not one message.
    f.form.setCallJson(R"([{"type":"track"}])");
    QVERIFY(error->isVisible());
    QVERIFY(error->text().contains(QLatin1String("array")));
    QVERIFY(!f.edit("eventEdit")->isEnabled());

    // Fixed again.
    f.form.setCallJson(kTrack);
    QVERIFY(!f.form.hasJsonError());
    QVERIFY(!error->isVisible());
    QVERIFY(f.edit("eventEdit")->isEnabled());
    QCOMPARE(f.edit("eventEdit")->text(), QStringLiteral("Signed Up"));
    QCOMPARE(f.edited.count(), 0);
}

void TestCallForm::unknownTypeAndDuplicates()
{
    Form f;
    f.form.show();
    QVERIFY(QTest::qWaitForWindowExposed(&f.form));
    f.form.setCallJson(R"({"type":"Track","event":"a","x":1,"event":"b"})");
    auto *combo = f.child<QComboBox>("typeCombo");
    QVERIFY(combo->currentText().contains(QLatin1String("unknown")));
    QVERIFY(!f.form.propertiesEditor()->isVisible());
    QVERIFY(!f.edit("eventEdit")->isVisible());

    // JSON.parse keeps the last "event": that is what is shown and edited.
    f.chooseType(QStringLiteral("track"));
    QCOMPARE(f.edit("eventEdit")->text(), QStringLiteral("b"));
    QTest::keyClicks(f.edit("eventEdit"), QStringLiteral("2"));
    QCOMPARE(lastJson(f.edited), std::string(R"({"type":"track","event":"a","x":1,"event":"b2"})"));
}

QTEST_MAIN(TestCallForm)
#include "tst_callform.moc"
