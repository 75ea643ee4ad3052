#include "propertytreeeditor.h"
#include "propertytreemodel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QIcon>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

#include <memory>

using km::JsonNode;
using km::PropertyTreeEditor;
using km::PropertyTreeModel;
using NodeType = PropertyTreeModel::NodeType;

Q_DECLARE_METATYPE(NodeType)

namespace {

// The index at a path of rows from the top, in `column`.
QModelIndex at(const PropertyTreeModel &model, const QList<int> &path, int column = PropertyTreeModel::KeyColumn)
{
    QModelIndex index;
    for (qsizetype i = 0; i < path.size(); ++i)
        index = model.index(path[i], i + 1 == path.size() ? column : 0, index);
    return index;
}

std::unique_ptr<QAbstractItemModelTester> attachTester(PropertyTreeModel &model)
{
    return std::make_unique<QAbstractItemModelTester>(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
}

QByteArray json(const PropertyTreeModel &model)
{
    return QByteArray::fromStdString(model.toJson());
}

// How many nodes the model exposes below `parent`.
int countRows(const PropertyTreeModel &model, const QModelIndex &parent = {})
{
    int count = 0;
    for (int row = 0; row < model.rowCount(parent); ++row)
        count += 1 + countRows(model, model.index(row, 0, parent));
    return count;
}

} // namespace

class TestPropertyTree : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void invalidText();
    void displayedData();
    void renameKey_data();
    void renameKey();
    void changeType_data();
    void changeType();
    void changeValue_data();
    void changeValue();
    void checkBoolean();
    void insertAndRemove();
    void addChild();
    void duplicateKeys();
    void integerKeysHint();
    void setJsonIsNotAnEdit();

    void editorExpandsAndAdds();
    void editorDeletes();
    void editorTypeCombo();
    void editorNumberValidation();
};

void TestPropertyTree::roundTrip_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<int>("nodes");

    QTest::newRow("member order") << QByteArray(R"({"b":1,"a":2,"c":3})") << QByteArray(R"({"b":1,"a":2,"c":3})") << 3;
    // JavaScript would list "1" and "2" first; the text's order is what is edited.
    QTest::newRow("integer-like keys") << QByteArray(R"({"b":1,"2":true,"1":null})")
                                       << QByteArray(R"({"b":1,"2":true,"1":null})") << 3;
    QTest::newRow("nested") << QByteArray(R"({"z":{"y":[1,{"x":"s","w":[]}],"v":{}},"u":[[],[[0]]]})")
                            << QByteArray(R"({"z":{"y":[1,{"x":"s","w":[]}],"v":{}},"u":[[],[[0]]]})") << 12;
    QTest::newRow("all types")
            << QByteArray(R"({"s":"text","n":-1.50e+3,"t":true,"f":false,"z":null,"o":{"k":"v"},"a":[1,"2",[3]]})")
            << QByteArray(R"({"s":"text","n":-1.50e+3,"t":true,"f":false,"z":null,"o":{"k":"v"},"a":[1,"2",[3]]})")
            << 12;
    QTest::newRow("numbers as typed") << QByteArray("[1.50,0.1,1E400,12345678901234567890,-0,0e0]")
                                      << QByteArray("[1.50,0.1,1E400,12345678901234567890,-0,0e0]") << 6;
    QTest::newRow("escapes as typed") << QByteArray(R"({"\u00e9":"caf\u00e9\n\/","tab":"a\tb","q":"\"\\"})")
                                      << QByteArray(R"({"\u00e9":"caf\u00e9\n\/","tab":"a\tb","q":"\"\\"})") << 3;
    QTest::newRow("surrogate escapes") << QByteArray(R"(["\ud800x","\ud83d\ude00","\uDC00"])")
                                       << QByteArray(R"(["\ud800x","\ud83d\ude00","\uDC00"])") << 3;
    QTest::newRow("raw utf-8") << QByteArray("{\"cl\xc3\xa9\":\"\xe2\x82\xac \xf0\x9f\x98\x80\"}")
                               << QByteArray("{\"cl\xc3\xa9\":\"\xe2\x82\xac \xf0\x9f\x98\x80\"}") << 1;
    QTest::newRow("whitespace dropped") << QByteArray("{\n  \"a\" : [ 1 , 2 ],\n\t\"b\" : { }\r\n}\n")
                                        << QByteArray(R"({"a":[1,2],"b":{}})") << 4;
    QTest::newRow("duplicate keys kept") << QByteArray(R"({"a":1,"b":2,"a":3})") << QByteArray(R"({"a":1,"b":2,"a":3})")
                                         << 3;
    QTest::newRow("top-level array") << QByteArray(R"([{"a":1},[2],"x"])") << QByteArray(R"([{"a":1},[2],"x"])") << 5;
    QTest::newRow("empty object") << QByteArray("{}") << QByteArray("{}") << 0;
    QTest::newRow("empty array") << QByteArray(" [ ] ") << QByteArray("[]") << 0;
    QTest::newRow("top-level string") << QByteArray(R"("hello")") << QByteArray(R"("hello")") << 1;
    QTest::newRow("top-level number") << QByteArray("4.20") << QByteArray("4.20") << 1;
    QTest::newRow("top-level boolean") << QByteArray("true") << QByteArray("true") << 1;
    QTest::newRow("deep") << QByteArray(900, '[') + QByteArray(900, ']') << QByteArray(900, '[') + QByteArray(900, ']')
                          << 899;
    QTest::newRow("long string") << "[\"" + QByteArray(5000, 'x') + "\"]"
                                 << "[\"" + QByteArray(5000, 'x') + "\"]" << 1;
    QTest::newRow("top-level null") << QByteArray("null") << QByteArray("null") << 1;
}

void TestPropertyTree::roundTrip()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QFETCH(int, nodes);

    PropertyTreeModel model;
    auto tester = attachTester(model);
    QVERIFY2(model.setJson(input.toStdString()), qPrintable(model.errorString()));
    QVERIFY(model.errorString().isEmpty());
    QCOMPARE(json(model), expected);
    QCOMPARE(countRows(model), nodes);

    // And once more from its own output.
    QVERIFY(model.setJson(model.toJson()));
    QCOMPARE(json(model), expected);
}

void TestPropertyTree::invalidText()
{
    PropertyTreeModel model;
    auto tester = attachTester(model);
    QVERIFY(model.setJson(R"({"a":1})"));
    QVERIFY(!model.setJson("{\"a\":\n  [1,}"));
    QVERIFY2(model.errorString().startsWith(QLatin1String("line 2, column ")), qPrintable(model.errorString()));
    QCOMPARE(json(model), QByteArray("{}"));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.setJson(""));
    QVERIFY(!model.setJson("{\"a\":1} x"));
    QVERIFY(!model.setJson("\"bad \xff utf-8\""));
    QVERIFY(model.setJson("[]"));
    QVERIFY(model.errorString().isEmpty());
}

void TestPropertyTree::displayedData()
{
    PropertyTreeModel model;
    auto tester = attachTester(model);
    QVERIFY(model.setJson(R"({"s":"a\nb","n":1.50,"t":true,"z":null,"o":{"k":1},"a":["x","y"]})"));
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.columnCount(), 3);
    QCOMPARE(model.headerData(PropertyTreeModel::KeyColumn, Qt::Horizontal).toString(), QStringLiteral("Key"));
    QCOMPARE(model.headerData(PropertyTreeModel::TypeColumn, Qt::Horizontal).toString(), QStringLiteral("Type"));
    QCOMPARE(model.headerData(PropertyTreeModel::ValueColumn, Qt::Horizontal).toString(), QStringLiteral("Value"));

    const QStringList types = {"String", "Number", "Boolean", "Null", "Object", "Array"};
    for (int row = 0; row < 6; ++row) {
        QCOMPARE(at(model, {row}, PropertyTreeModel::TypeColumn).data().toString(), types[row]);
        QCOMPARE(model.nodeType(at(model, {row})), static_cast<NodeType>(row));
        QVERIFY(model.flags(at(model, {row})) & Qt::ItemIsEditable);
        QVERIFY(model.flags(at(model, {row}, PropertyTreeModel::TypeColumn)) & Qt::ItemIsEditable);
    }
    QCOMPARE(at(model, {0}).data().toString(), QStringLiteral("s"));
    // The newline is shown as a symbol but edited as itself.
    QCOMPARE(at(model, {0}, 2).data(Qt::DisplayRole).toString(), QStringLiteral("a\u21B5b"));
    QCOMPARE(at(model, {0}, 2).data(Qt::EditRole).toString(), QStringLiteral("a\nb"));
    QCOMPARE(at(model, {1}, 2).data().toString(), QStringLiteral("1.50"));
    QVERIFY(at(model, {1}, 2).data(Qt::ToolTipRole).toString().contains(QLatin1String("1.5")));
    QCOMPARE(at(model, {2}, 2).data().toString(), QStringLiteral("true"));
    QCOMPARE(at(model, {2}, 2).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
    QVERIFY(model.flags(at(model, {2}, 2)) & Qt::ItemIsUserCheckable);
    QVERIFY(!(model.flags(at(model, {2}, 2)) & Qt::ItemIsEditable));
    QCOMPARE(at(model, {3}, 2).data().toString(), QStringLiteral("null"));
    QVERIFY(!(model.flags(at(model, {3}, 2)) & Qt::ItemIsEditable));
    QCOMPARE(at(model, {4}, 2).data().toString(), QStringLiteral("{1 member}"));
    QCOMPARE(at(model, {5}, 2).data().toString(), QStringLiteral("[2 items]"));
    QVERIFY(!(model.flags(at(model, {5}, 2)) & Qt::ItemIsEditable));
    QCOMPARE(at(model, {4}, 2).data(PropertyTreeModel::JsonRole).toString(), QStringLiteral(R"({"k":1})"));

    // Array elements are keyed by their index (painted by the editor's delegate), not editable.
    QVERIFY(!at(model, {5, 1}).data().isValid());
    QVERIFY(!(model.flags(at(model, {5, 1})) & Qt::ItemIsEditable));
    QVERIFY(!at(model, {5, 1}).data(Qt::EditRole).isValid());
    QVERIFY(!model.setData(at(model, {5, 1}), QStringLiteral("k")));
    QCOMPARE(model.node(at(model, {5, 1}))->text(), std::string("y"));

    // A scalar at the top is a single row of its own.
    QVERIFY(model.setJson("12"));
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(at(model, {0}).data().toString(), QString());
    QVERIFY(!(model.flags(at(model, {0})) & Qt::ItemIsEditable));
    QCOMPARE(at(model, {0}, 2).data().toString(), QStringLiteral("12"));
    QVERIFY(!model.isContainer({}));
    QVERIFY(!model.insertRows(0, 1));
    QVERIFY(!model.removeRows(0, 1));
}

void TestPropertyTree::renameKey_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<int>>("path");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("middle member keeps its place") << QByteArray(R"({"a":1,"b":2,"c":3})") << QList<int>{1}
                                                   << QStringLiteral("x") << QByteArray(R"({"a":1,"x":2,"c":3})");
    QTest::newRow("nested") << QByteArray(R"({"o":{"p":{"q":true}}})") << QList<int>{0, 0, 0} << QStringLiteral("r")
                            << QByteArray(R"({"o":{"p":{"r":true}}})");
    QTest::newRow("member of an object in an array") << QByteArray(R"([{"k":1},{"k":2}])") << QList<int>{1, 0}
                                                     << QStringLiteral("key") << QByteArray(R"([{"k":1},{"key":2}])");
    QTest::newRow("needs escaping") << QByteArray(R"({"a":1})") << QList<int>{0} << QStringLiteral("say \"hi\"\n")
                                    << QByteArray(R"({"say \"hi\"\n":1})");
    QTest::newRow("empty key") << QByteArray(R"({"a":1})") << QList<int>{0} << QString() << QByteArray(R"({"":1})");
    QTest::newRow("escaped key renamed") << QByteArray(R"({"\u0041":1})") << QList<int>{0} << QStringLiteral("B")
                                         << QByteArray(R"({"B":1})");
}

void TestPropertyTree::renameKey()
{
    QFETCH(QByteArray, input);
    QFETCH(QList<int>, path);
    QFETCH(QString, key);
    QFETCH(QByteArray, expected);

    PropertyTreeModel model;
    auto tester = attachTester(model);
    QVERIFY(model.setJson(input.toStdString()));
    QSignalSpy edited(&model, &PropertyTreeModel::jsonEdited);
    const QModelIndex index = at(model, path);
    QCOMPARE(index.data(Qt::EditRole).toString() == key, false);
    QVERIFY(model.setData(index, key));
    QCOMPARE(index.data(Qt::EditRole).toString(), key);
    QCOMPARE(json(model), expected);
    QCOMPARE(edited.count(), 1);

    // The same key again is not an edit.
    QVERIFY(model.setData(index, key));
    QCOMPARE(edited.count(), 1);
}

void TestPropertyTree::changeType_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<int>>("path");
    QTest::addColumn<NodeType>("type");
    QTest::addColumn<QByteArray>("expected");

    using T = NodeType;
    QTest::newRow("string to number") << QByteArray(R"({"a":0,"v":"12","z":0})") << QList<int>{1} << T::Number
                                      << QByteArray(R"({"a":0,"v":12,"z":0})");
    QTest::newRow("decimal string keeps its text")
            << QByteArray(R"({"v":"1.50"})") << QList<int>{0} << T::Number << QByteArray(R"({"v":1.50})");
    QTest::newRow("string read as Number() does")
            << QByteArray(R"({"v":" 0x10 "})") << QList<int>{0} << T::Number << QByteArray(R"({"v":16})");
    QTest::newRow("text to number is 0") << QByteArray(R"({"v":"abc"})") << QList<int>{0} << T::Number
                                         << QByteArray(R"({"v":0})");
    QTest::newRow("true to number") << QByteArray(R"({"v":true})") << QList<int>{0} << T::Number
                                    << QByteArray(R"({"v":1})");
    QTest::newRow("number to string") << QByteArray(R"({"v":1.50})") << QList<int>{0} << T::String
                                      << QByteArray(R"({"v":"1.50"})");
    QTest::newRow("boolean to string") << QByteArray(R"({"v":false})") << QList<int>{0} << T::String
                                       << QByteArray(R"({"v":"false"})");
    QTest::newRow("null to string") << QByteArray(R"({"v":null})") << QList<int>{0} << T::String
                                    << QByteArray(R"({"v":"null"})");
    QTest::newRow("object to string") << QByteArray(R"({"v":{"a":1,"b":[2]}})") << QList<int>{0} << T::String
                                      << QByteArray(R"({"v":"{\"a\":1,\"b\":[2]}"})");
    QTest::newRow("object to array") << QByteArray(R"({"v":{"a":1,"b":[2]}})") << QList<int>{0} << T::Array
                                     << QByteArray(R"({"v":[1,[2]]})");
    QTest::newRow("array to object") << QByteArray(R"({"v":["x",{"k":null}]})") << QList<int>{0} << T::Object
                                     << QByteArray(R"({"v":{"0":"x","1":{"k":null}}})");
    QTest::newRow("json string to object")
            << QByteArray(R"({"v":"{\"k\":1}"})") << QList<int>{0} << T::Object << QByteArray(R"({"v":{"k":1}})");
    QTest::newRow("json string to array")
            << QByteArray(R"({"v":" [1, 2] "})") << QList<int>{0} << T::Array << QByteArray(R"({"v":[1,2]})");
    QTest::newRow("string wrapped in array")
            << QByteArray(R"({"v":"x"})") << QList<int>{0} << T::Array << QByteArray(R"({"v":["x"]})");
    QTest::newRow("number to object") << QByteArray(R"({"v":5})") << QList<int>{0} << T::Object
                                      << QByteArray(R"({"v":{}})");
    QTest::newRow("zero to boolean") << QByteArray(R"({"v":0})") << QList<int>{0} << T::Boolean
                                     << QByteArray(R"({"v":false})");
    QTest::newRow("\"false\" to boolean")
            << QByteArray(R"({"v":"false"})") << QList<int>{0} << T::Boolean << QByteArray(R"({"v":false})");
    QTest::newRow("text to boolean") << QByteArray(R"({"v":"yes"})") << QList<int>{0} << T::Boolean
                                     << QByteArray(R"({"v":true})");
    QTest::newRow("empty array to boolean")
            << QByteArray(R"({"v":[]})") << QList<int>{0} << T::Boolean << QByteArray(R"({"v":false})");
    QTest::newRow("object to null") << QByteArray(R"({"v":{"a":{"b":1}}})") << QList<int>{0} << T::Null
                                    << QByteArray(R"({"v":null})");
    QTest::newRow("nested") << QByteArray(R"({"o":{"p":"7","q":[true]}})") << QList<int>{0, 0} << T::Number
                            << QByteArray(R"({"o":{"p":7,"q":[true]}})");
    QTest::newRow("array element") << QByteArray(R"(["1",["2"]])") << QList<int>{1, 0} << T::Number
                                   << QByteArray(R"(["1",[2]])");
    QTest::newRow("same type") << QByteArray(R"({"v":"x"})") << QList<int>{0} << T::String
                               << QByteArray(R"({"v":"x"})");
    QTest::newRow("top-level scalar to object")
            << QByteArray(R"("12")") << QList<int>{0} << T::Object << QByteArray("{}");
    QTest::newRow("top-level scalar to number")
            << QByteArray(R"("12")") << QList<int>{0} << T::Number << QByteArray("12");
    QTest::newRow("top-level json text to array")
            << QByteArray(R"("[1,{\"a\":2}]")") << QList<int>{0} << T::Array << QByteArray(R"([1,{"a":2}])");
}

void TestPropertyTree::changeType()
{
    QFETCH(QByteArray, input);
    QFETCH(QList<int>, path);
    QFETCH(NodeType, type);
    QFETCH(QByteArray, expected);

    PropertyTreeModel model;
    auto tester = attachTester(model);
    QVERIFY(model.setJson(input.toStdString()));
    QSignalSpy edited(&model, &PropertyTreeModel::jsonEdited);
    const NodeType before = model.nodeType(at(model, path));
    const bool topScalar = !model.rootNode().isContainer();
    QVERIFY(model.setData(at(model, path, PropertyTreeModel::TypeColumn), PropertyTreeModel::typeName(type)));
    QCOMPARE(json(model), expected);
    QCOMPARE(edited.count(), before == type ? 0 : 1);
    QCOMPARE(topScalar ? model.rootType() : model.nodeType(at(model, path)), type);

    // The tree the views see matches the text.
    PropertyTreeModel fresh;
    QVERIFY(fresh.setJson(model.toJson()));
    QCOMPARE(countRows(model), countRows(fresh));
}

void TestPropertyTree::changeValue_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("string") << QByteArray(R"({"a":1,"v":"x","z":2})") << QVariant(QStringLiteral("Pro \"plan\""))
                            << true << QByteArray(R"({"a":1,"v":"Pro \"plan\"","z":2})");
    QTest::newRow("string emptied") << QByteArray(R"({"v":"x"})") << QVariant(QString()) << true
                                    << QByteArray(R"({"v":""})");
    QTest::newRow("number as typed") << QByteArray(R"({"v":1})") << QVariant(QStringLiteral("2.50")) << true
                                     << QByteArray(R"({"v":2.50})");
    QTest::newRow("number with spaces") << QByteArray(R"({"v":1})") << QVariant(QStringLiteral(" -3e2 ")) << true
                                        << QByteArray(R"({"v":-3e2})");
    QTest::newRow("number from a double")
            << QByteArray(R"({"v":1})") << QVariant(0.1) << true << QByteArray(R"({"v":0.1})");
    QTest::newRow("half-typed number") << QByteArray(R"({"v":1})") << QVariant(QStringLiteral("1e")) << false
                                       << QByteArray(R"({"v":1})");
    QTest::newRow("not a number") << QByteArray(R"({"v":1})") << QVariant(QStringLiteral("abc")) << false
                                  << QByteArray(R"({"v":1})");
    QTest::newRow("leading zero") << QByteArray(R"({"v":1})") << QVariant(QStringLiteral("012")) << false
                                  << QByteArray(R"({"v":1})");
    QTest::newRow("NaN") << QByteArray(R"({"v":1})") << QVariant(qQNaN()) << false << QByteArray(R"({"v":1})");
    QTest::newRow("boolean") << QByteArray(R"({"v":true})") << QVariant(false) << true << QByteArray(R"({"v":false})");
    QTest::newRow("boolean text") << QByteArray(R"({"v":false})") << QVariant(QStringLiteral("true")) << true
                                  << QByteArray(R"({"v":true})");
    QTest::newRow("null has no value") << QByteArray(R"({"v":null})") << QVariant(QStringLiteral("x")) << false
                                       << QByteArray(R"({"v":null})");
    QTest::newRow("object has no value") << QByteArray(R"({"v":{}})") << QVariant(QStringLiteral("x")) << false
                                         << QByteArray(R"({"v":{}})");
}

void TestPropertyTree::changeValue()
{
    QFETCH(QByteArray, input);
    QFETCH(QVariant, value);
    QFETCH(bool, accepted);
    QFETCH(QByteArray, expected);

    PropertyTreeModel model;
    auto tester = attachTester(model);
    QVERIFY(model.setJson(input.toStdString()));
    const int row = model.rowCount() == 3 ? 1 : 0;
    QSignalSpy edited(&model, &PropertyTreeModel::jsonEdited);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QCOMPARE(model.setData(at(model, {row}, PropertyTreeModel::ValueColumn), value), accepted);
    QCOMPARE(json(model), expected);
    QCOMPARE(edited.count(), accepted ? 1 : 0);
    QCOMPARE(changed.count(), accepted ? 1 : 0);

    // Setting what is already there changes nothing.
    if (accepted) {
        QVERIFY(model.setData(at(model, {row}, PropertyTreeModel::ValueColumn),
                              at(model, {row}, PropertyTreeModel::ValueColumn).data(Qt::EditRole)));
        QCOMPARE(edited.count(), 1);
    }
}

void TestPropertyTree::checkBoolean()
{
    PropertyTreeModel model;
    auto tester = attachTester(model);
    QVERIFY(model.setJson(R"({"on":false,"s":"x"})"));
    QSignalSpy edited(&model, &PropertyTreeModel::jsonEdited);
    QVERIFY(model.setData(at(model, {0}, 2), int(Qt::Checked), Qt::CheckStateRole));
    QCOMPARE(json(model), QByteArray(R"({"on":true,"s":"x"})"));
    QCOMPARE(at(model, {0}, 2).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
    QVERIFY(model.setData(at(model, {0}, 2), int(Qt::Unchecked), Qt::CheckStateRole));
    QCOMPARE(json(model), QByteArray(R"({"on":false,"s":"x"})"));
    QCOMPARE(edited.count(), 2);
    QVERIFY(!model.setData(at(model, {1}, 2), int(Qt::Checked), Qt::CheckStateRole));
}

void TestPropertyTree::insertAndRemove()
{
    PropertyTreeModel model;
    auto tester = attachTester(model);
    QVERIFY(model.setJson(R"({"a":1,"list":["x","y"],"z":{}})"));
    QSignalSpy edited(&model, &PropertyTreeModel::jsonEdited);

    // New members are empty strings with free keys, where they are inserted.
    QVERIFY(model.insertRows(1, 2));
    QCOMPARE(json(model), QByteArray(R"({"a":1,"newKey":"","newKey2":"","list":["x","y"],"z":{}})"));
    QVERIFY(model.insertRows(0, 1));
    QCOMPARE(at(model, {0}).data().toString(), QStringLiteral("newKey3"));

    // Elements renumber the ones after them.
    const QModelIndex list = at(model, {4});
    QCOMPARE(list.data().toString(), QStringLiteral("list"));
    QVERIFY(model.insertRows(1, 1, list));
    QCOMPARE(json(model), QByteArray(R"({"newKey3":"","a":1,"newKey":"","newKey2":"","list":["x","","y"],"z":{}})"));
    QCOMPARE(model.node(at(model, {4, 2}))->row(), 2);
    QVERIFY(model.insertRows(0, 1, at(model, {5}))); // into the empty object
    QCOMPARE(json(model),
             QByteArray(R"({"newKey3":"","a":1,"newKey":"","newKey2":"","list":["x","","y"],"z":{"newKey":""}})"));

    QVERIFY(model.removeRows(0, 2, list));
    QCOMPARE(json(model),
             QByteArray(R"({"newKey3":"","a":1,"newKey":"","newKey2":"","list":["y"],"z":{"newKey":""}})"));
    QCOMPARE(model.node(at(model, {4, 0}))->text(), std::string("y"));
    QVERIFY(model.removeRows(2, 2));
    QVERIFY(model.removeRows(0, 1));
    QCOMPARE(json(model), QByteArray(R"({"a":1,"list":["y"],"z":{"newKey":""}})"));
    QCOMPARE(edited.count(), 7);

    // Out of range, scalars and non-positive counts are refused.
    QVERIFY(!model.removeRows(2, 2));
    QVERIFY(!model.removeRows(-1, 1));
    QVERIFY(!model.insertRows(4, 1));
    QVERIFY(!model.insertRows(0, 0));
    QVERIFY(!model.insertRows(0, 1, at(model, {0})));
    QCOMPARE(edited.count(), 7);

    // Everything removed.
    QVERIFY(model.removeRows(0, 3));
    QCOMPARE(json(model), QByteArray("{}"));
}

void TestPropertyTree::addChild()
{
    PropertyTreeModel model;
    auto tester = attachTester(model);
    QVERIFY(model.setJson(R"({"a":1,"tags":[]})"));
    QSignalSpy edited(&model, &PropertyTreeModel::jsonEdited);

    QModelIndex added = model.addChild({}, QStringLiteral("price"), NodeType::Number, QStringLiteral("9.90"));
    QVERIFY(added.isValid());
    QCOMPARE(added.column(), int(PropertyTreeModel::KeyColumn));
    QCOMPARE(added.data().toString(), QStringLiteral("price"));
    QCOMPARE(json(model), QByteArray(R"({"a":1,"tags":[],"price":9.90})"));

    added = model.addChild(at(model, {1}), {}, NodeType::Boolean, true);
    QCOMPARE(added.parent(), at(model, {1}));
    QCOMPARE(json(model), QByteArray(R"({"a":1,"tags":[true],"price":9.90})"));

    added = model.addChild(at(model, {1}, PropertyTreeModel::ValueColumn), {}, NodeType::Object, {}, 0);
    QCOMPARE(added.row(), 0);
    QCOMPARE(json(model), QByteArray(R"({"a":1,"tags":[{},true],"price":9.90})"));
    added = model.addChild(added, {}, NodeType::Null);
    QCOMPARE(added.data().toString(), QStringLiteral("newKey"));
    QCOMPARE(json(model), QByteArray(R"({"a":1,"tags":[{"newKey":null},true],"price":9.90})"));

    added = model.addChild({}, QStringLiteral("first"), NodeType::String, QStringLiteral("1st"), 0);
    QCOMPARE(added.row(), 0);
    QCOMPARE(json(model), QByteArray(R"({"first":"1st","a":1,"tags":[{"newKey":null},true],"price":9.90})"));
    QCOMPARE(edited.count(), 5);

    // Not into a scalar.
    QVERIFY(!model.addChild(at(model, {1})).isValid());
    QCOMPARE(edited.count(), 5);
}

void TestPropertyTree::duplicateKeys()
{
    PropertyTreeModel model;
    auto tester = attachTester(model);
    QVERIFY(model.setJson(R"({"a":1,"b":2,"a":3})"));
    const auto state = [&model](int row) {
        return static_cast<JsonNode::KeyState>(at(model, {row}).data(PropertyTreeModel::KeyStateRole).toInt());
    };
    QCOMPARE(state(0), JsonNode::KeyState::DuplicateIgnored);
    QCOMPARE(state(1), JsonNode::KeyState::Unique);
    QCOMPARE(state(2), JsonNode::KeyState::DuplicateKept);
    QVERIFY(at(model, {0}).data(Qt::ToolTipRole).toString().contains(QLatin1String("ignored")));
    QVERIFY(at(model, {2}).data(Qt::ToolTipRole).toString().contains(QLatin1String("keeps this value")));
    QVERIFY(!at(model, {1}).data(Qt::ToolTipRole).isValid());
    QVERIFY(!qvariant_cast<QIcon>(at(model, {0}).data(Qt::DecorationRole)).isNull());
    QVERIFY(!at(model, {1}).data(Qt::DecorationRole).isValid());

    // Renaming one away clears both flags, and views are told about the other row too.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.setData(at(model, {2}), QStringLiteral("c")));
    QCOMPARE(state(0), JsonNode::KeyState::Unique);
    QCOMPARE(state(2), JsonNode::KeyState::Unique);
    bool toldRowZero = false;
    for (const QList<QVariant> &args : std::as_const(changed))
        toldRowZero = toldRowZero || args.at(0).toModelIndex().row() == 0;
    QVERIFY(toldRowZero);

    // A new duplicate through insertion.
    QVERIFY(model.addChild({}, QStringLiteral("b")).isValid());
    QCOMPARE(state(1), JsonNode::KeyState::DuplicateIgnored);
    QCOMPARE(state(3), JsonNode::KeyState::DuplicateKept);
    QCOMPARE(json(model), QByteArray(R"({"a":1,"b":2,"c":3,"b":""})"));
    QVERIFY(model.removeRows(3, 1));
    QCOMPARE(state(1), JsonNode::KeyState::Unique);
}

void TestPropertyTree::integerKeysHint()
{
    PropertyTreeModel model;
    auto tester = attachTester(model);
    QVERIFY(model.setJson(R"({"0":1,"b":2,"7":3})"));
    QVERIFY(!at(model, {0}).data(Qt::ToolTipRole).isValid());
    QVERIFY(at(model, {2}).data(Qt::ToolTipRole).toString().contains(QLatin1String("integer-like")));
}

void TestPropertyTree::setJsonIsNotAnEdit()
{
    PropertyTreeModel model;
    auto tester = attachTester(model);
    QSignalSpy edited(&model, &PropertyTreeModel::jsonEdited);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QVERIFY(model.setJson(R"({"a":[1,2,{"b":null}]})"));
    QVERIFY(!model.setJson("{"));
    QVERIFY(model.setJson("3"));
    QCOMPARE(edited.count(), 0);
    QCOMPARE(reset.count(), 3);
}

void TestPropertyTree::editorExpandsAndAdds()
{
    PropertyTreeEditor editor;
    auto tester = attachTester(*editor.model());
    editor.resize(500, 400);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QVERIFY(editor.setJson(R"({"a":{"b":{"c":[1]}},"d":2})"));
    PropertyTreeModel &model = *editor.model();
    QTreeView *view = editor.findChild<QTreeView *>(QStringLiteral("propertyTree"));
    QCOMPARE(view, editor.view());
    QVERIFY(view->isExpanded(at(model, {0})));
    QVERIFY(view->isExpanded(at(model, {0, 0})));
    QVERIFY(view->isExpanded(at(model, {0, 0, 0})));

    QSignalSpy edited(&editor, &PropertyTreeEditor::jsonEdited);
    QAction *addMember = editor.findChild<QAction *>(QStringLiteral("addMemberAction"));
    QAction *addChild = editor.findChild<QAction *>(QStringLiteral("addChildAction"));
    QVERIFY(addMember && addChild);

    // Add member goes after the current row and opens its key for typing.
    view->setCurrentIndex(at(model, {0, 0}));
    QVERIFY(addMember->isEnabled());
    QVERIFY(addChild->isEnabled());
    addMember->trigger();
    QCOMPARE(json(model), QByteArray(R"({"a":{"b":{"c":[1]},"newKey":""},"d":2})"));
    QCOMPARE(view->currentIndex().siblingAtColumn(0), at(model, {0, 1}));
    auto *keyEditor = view->findChild<QLineEdit *>(QStringLiteral("keyEditor"));
    QVERIFY(keyEditor);
    QTRY_VERIFY(keyEditor->hasFocus());
    keyEditor->selectAll();
    QTest::keyClicks(keyEditor, QStringLiteral("plan"));
    QTest::keyClick(keyEditor, Qt::Key_Return); // commits through a queued call
    QTRY_COMPARE(json(model), QByteArray(R"({"a":{"b":{"c":[1]},"plan":""},"d":2})"));

    // Add child appends inside the current array, expanded.
    view->setCurrentIndex(at(model, {0, 0, 0}));
    QVERIFY(addChild->isEnabled());
    addChild->trigger();
    QCOMPARE(json(model), QByteArray(R"({"a":{"b":{"c":[1,""]},"plan":""},"d":2})"));
    QVERIFY(view->isExpanded(at(model, {0, 0, 0})));
    QCOMPARE(edited.count(), 3);

    // A scalar has no children.
    view->setCurrentIndex(at(model, {1}));
    QVERIFY(!addChild->isEnabled());
}

void TestPropertyTree::editorDeletes()
{
    PropertyTreeEditor editor;
    auto tester = attachTester(*editor.model());
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QVERIFY(editor.setJson(R"({"a":1,"b":{"c":2,"d":3},"e":4})"));
    PropertyTreeModel &model = *editor.model();
    QTreeView *view = editor.view();
    QAction *deleteAction = editor.findChild<QAction *>(QStringLiteral("deleteAction"));
    QVERIFY(deleteAction);

    // The Delete key on the tree removes the current row.
    view->setFocus();
    view->setCurrentIndex(at(model, {0}));
    QTRY_VERIFY(view->hasFocus());
    QTest::keyClick(view, Qt::Key_Delete);
    QCOMPARE(json(model), QByteArray(R"({"b":{"c":2,"d":3},"e":4})"));

    // A selected row and its selected descendant go together, with another top-level row.
    QItemSelectionModel *selection = view->selectionModel();
    selection->clearSelection();
    selection->select(at(model, {0}), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    selection->select(at(model, {0, 1}), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    selection->select(at(model, {1}), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QVERIFY(deleteAction->isEnabled());
    deleteAction->trigger();
    QCOMPARE(json(model), QByteArray("{}"));
}

void TestPropertyTree::editorTypeCombo()
{
    PropertyTreeEditor editor;
    auto tester = attachTester(*editor.model());
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QVERIFY(editor.setJson(R"({"n":"12","o":{"k":"v"}})"));
    PropertyTreeModel &model = *editor.model();
    QTreeView *view = editor.view();

    const QModelIndex typeCell = at(model, {0}, PropertyTreeModel::TypeColumn);
    view->setCurrentIndex(typeCell);
    view->edit(typeCell);
    auto *combo = view->findChild<QComboBox *>(QStringLiteral("typeEditor"));
    QVERIFY(combo);
    QCOMPARE(combo->currentText(), QStringLiteral("String"));
    QCOMPARE(combo->count(), 6);
    // Choosing commits at once.
    combo->setCurrentIndex(int(NodeType::Number));
    emit combo->activated(int(NodeType::Number));
    QCOMPARE(json(model), QByteArray(R"({"n":12,"o":{"k":"v"}})"));

    // Object to array and back keeps the expanded children.
    QVERIFY(model.setData(at(model, {1}, PropertyTreeModel::TypeColumn), QStringLiteral("Array")));
    QCOMPARE(json(model), QByteArray(R"({"n":12,"o":["v"]})"));
    QVERIFY(view->isExpanded(at(model, {1})));
}

void TestPropertyTree::editorNumberValidation()
{
    PropertyTreeEditor editor;
    auto tester = attachTester(*editor.model());
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    QVERIFY(editor.setJson(R"({"n":1})"));
    PropertyTreeModel &model = *editor.model();
    QTreeView *view = editor.view();

    const QModelIndex valueCell = at(model, {0}, PropertyTreeModel::ValueColumn);
    view->setCurrentIndex(valueCell);
    view->edit(valueCell);
    auto *edit = view->findChild<QLineEdit *>(QStringLiteral("numberEditor"));
    QVERIFY(edit);
    QTRY_VERIFY(edit->hasFocus());
    edit->selectAll();
    QTest::keyClicks(edit, QStringLiteral("x-1.5a0"));
    QCOMPARE(edit->text(), QStringLiteral("-1.50")); // letters refused as typed
    QTest::keyClick(edit, Qt::Key_Return);
    QTRY_COMPARE(json(model), QByteArray(R"({"n":-1.50})"));
    QTRY_VERIFY(!view->findChild<QLineEdit *>(QStringLiteral("numberEditor")));

    // An unfinished number is not stored.
    view->edit(valueCell);
    edit = view->findChild<QLineEdit *>(QStringLiteral("numberEditor"));
    QVERIFY(edit);
    QTRY_VERIFY(edit->hasFocus());
    edit->selectAll();
    QTest::keyClicks(edit, QStringLiteral("2e"));
    QTest::keyClick(edit, Qt::Key_Return);
    QTest::qWait(50);
    // The editor stays open until the number is complete; Escape gives up.
    QCOMPARE(view->findChild<QLineEdit *>(QStringLiteral("numberEditor")), edit);
    QCOMPARE(json(model), QByteArray(R"({"n":-1.50})"));
    QTest::keyClick(edit, Qt::Key_Escape);
    QTRY_VERIFY(!view->findChild<QLineEdit *>(QStringLiteral("numberEditor")));
    QCOMPARE(json(model), QByteArray(R"({"n":-1.50})"));
}

QTEST_MAIN(TestPropertyTree)
#include "tst_propertytree.moc"
