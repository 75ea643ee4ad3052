#include "sendcommand.h"
#include "servecommand.h"
#include "translatecommand.h"

#include <QCoreApplication>

#include <cstdio>
#include <memory>
#include <vector>

namespace {

void printUsage(const std::vector<std::unique_ptr<Command>> &commands)
{
    std::puts("usage: kmtester-cli COMMAND [options]\n\nCommands:");
    for (const auto &c : commands)
        std::printf("  %-12s %s\n", qPrintable(c->name()), qPrintable(c->description()));
    std::puts("\nkmtester-cli COMMAND --help shows a command's options with examples.");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("kmtester-cli"));
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(std::make_unique<TranslateCommand>());
    commands.push_back(std::make_unique<ServeCommand>());
    commands.push_back(std::make_unique<SendCommand>());

    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args.at(1) == QLatin1String("--help") || args.at(1) == QLatin1String("-h")) {
        printUsage(commands);
        return args.size() < 2 ? 2 : 0;
    }
    for (const auto &c : commands)
        if (c->name() == args.at(1))
            return c->execute(args.mid(1));
    std::fprintf(stderr, "kmtester-cli: unknown command \"%s\"\n", qPrintable(args.at(1)));
    printUsage(commands);
    return 2;
}
