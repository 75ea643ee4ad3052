#pragma once

#include "command.h"

// `kmtester-cli serve`: the built-in Kissmetrics-compatible endpoint on its own, printing each
// request it receives as one NDJSON line until SIGINT or SIGTERM. Runs the Qt event loop itself.
class ServeCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("serve"); }
    QString description() const override;
    int execute(const QStringList &args) override;
};
