#pragma once

#include <QStringList>

#include <cstdio>

// One kmtester-cli sub-command (KeePassXC style: a class per command).
class Command
{
public:
    virtual ~Command() = default;
    virtual QString name() const = 0;
    virtual QString description() const = 0;
    // args[0] is the command name. Returns the process exit status.
    virtual int execute(const QStringList &args) = 0;
};
