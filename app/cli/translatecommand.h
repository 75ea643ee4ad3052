#pragma once

#include "command.h"

class TranslateCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("translate"); }
    QString description() const override;
    int execute(const QStringList &args) override;
};
