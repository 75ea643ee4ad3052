#include "servecommand.h"

#include "trackingendpoint.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include <sys/socket.h>
#include <unistd.h>

using namespace km;

namespace {

const char *const kHelpExamples = R"(
Listens on 127.0.0.1 only and answers /e, /s and /a by GET or by form POST with 200 and a 1x1
GIF, as trk.kissmetrics.io does. Anything else is refused: 404 (other path), 405 (other method),
413 (body over --max-body), 415 (POST that is not application/x-www-form-urlencoded).

Output: "kmtester-cli serve: listening on http://127.0.0.1:PORT" on standard error once listening,
then one line per request received on standard output, written as soon as it arrives:
  {"endpoint":"e","method":"GET","params":{"_k":"key","_p":"u1","_n":"Signed Up"},"received_at":"2026-11-30T17:00:00.123Z"}
"params" has the CLI contract's shape (a repeated key gives a list, a bare key null); a refused
request also has "status" and, for another path, the path as "endpoint". SIGINT (Ctrl+C) or
SIGTERM stops the server with exit status 0; a port that cannot be used exits 1.

Examples:
  kmtester-cli serve
      A free port, chosen by the system, announced on standard error.
  kmtester-cli serve --port 8080 > received.ndjson
  kmtester-cli serve --port 8080 --max-body 1048576 | jq -c 'select(.endpoint == "e") | .params._n'
  kmtester-cli translate --format url --show-key --host http://127.0.0.1:8080 calls.ndjson \
      | grep '^http' | xargs -n1 curl -s -o /dev/null
)";

// Self-pipe: the signal handler only writes a byte; the event loop reads it and quits.
int g_signalFd = -1;

extern "C" void onTerminationSignal(int signal)
{
    const int savedErrno = errno;
    const char byte = static_cast<char>(signal);
    [[maybe_unused]] const ssize_t written = ::write(g_signalFd, &byte, 1);
    errno = savedErrno;
}

// SIGINT and SIGTERM quit the event loop for as long as it lives; the previous handlers come back
// afterwards.
class TerminationSignals
{
public:
    TerminationSignals()
    {
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, m_fds) != 0) {
            m_fds[0] = m_fds[1] = -1;
            return;
        }
        g_signalFd = m_fds[0];
        m_notifier = new QSocketNotifier(m_fds[1], QSocketNotifier::Read);
        QObject::connect(m_notifier, &QSocketNotifier::activated, [this] {
            char byte = 0;
            while (::read(m_fds[1], &byte, 1) == 1)
                m_signal = byte;
            QCoreApplication::quit();
        });
        struct sigaction action = {};
        action.sa_handler = onTerminationSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        sigaction(SIGINT, &action, &m_previousInt);
        sigaction(SIGTERM, &action, &m_previousTerm);
    }
    ~TerminationSignals()
    {
        if (m_fds[0] < 0)
            return;
        sigaction(SIGINT, &m_previousInt, nullptr);
        sigaction(SIGTERM, &m_previousTerm, nullptr);
        g_signalFd = -1;
        delete m_notifier;
        ::close(m_fds[0]);
        ::close(m_fds[1]);
    }
    TerminationSignals(const TerminationSignals &) = delete;
    TerminationSignals &operator=(const TerminationSignals &) = delete;

    bool isValid() const { return m_fds[0] >= 0; }
    int signal() const { return m_signal; }

private:
    int m_fds[2] = {-1, -1};
    QSocketNotifier *m_notifier = nullptr;
    int m_signal = 0;
    struct sigaction m_previousInt = {};
    struct sigaction m_previousTerm = {};
};

} // namespace

QString ServeCommand::description() const
{
    return QStringLiteral("Run the built-in Kissmetrics-compatible endpoint and print each request it receives.");
}

int ServeCommand::execute(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description() + QString::fromUtf8(kHelpExamples));
    parser.addHelpOption();
    QCommandLineOption portOption(QStringLiteral("port"),
                                  QStringLiteral("Port on 127.0.0.1 (default 0: a free port chosen by the system)."),
                                  QStringLiteral("N"), QStringLiteral("0"));
    QCommandLineOption maxBodyOption(
            QStringLiteral("max-body"),
            QStringLiteral("Largest request body accepted, in bytes (default %1); larger ones get 413.")
                    .arg(TrackingEndpoint::DefaultMaxBodySize),
            QStringLiteral("BYTES"), QString::number(TrackingEndpoint::DefaultMaxBodySize));
    parser.addOptions({portOption, maxBodyOption});
    if (!parser.parse(args)) {
        std::fprintf(stderr, "kmtester-cli serve: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "kmtester-cli serve: unexpected argument \"%s\"\n",
                     qPrintable(parser.positionalArguments().first()));
        return 2;
    }
    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535) {
        std::fprintf(stderr, "kmtester-cli serve: --port expects 0 to 65535, got \"%s\"\n",
                     qPrintable(parser.value(portOption)));
        return 2;
    }
    const qint64 maxBody = parser.value(maxBodyOption).toLongLong(&ok);
    if (!ok || maxBody < 0) {
        std::fprintf(stderr, "kmtester-cli serve: --max-body expects a number of bytes, got \"%s\"\n",
                     qPrintable(parser.value(maxBodyOption)));
        return 2;
    }

    TerminationSignals termination;
    if (!termination.isValid()) {
        std::fprintf(stderr, "kmtester-cli serve: cannot watch for signals: %s\n", std::strerror(errno));
        return 1;
    }
    TrackingEndpoint endpoint;
    endpoint.setMaxBodySize(maxBody);
    endpoint.setMaxHistory(0); // every request is printed; keeping them too would only grow
    std::size_t count = 0;
    QObject::connect(&endpoint, &TrackingEndpoint::requestReceived, [&count](const ReceivedRequest &request) {
        std::string line = request.toJsonLine();
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), stdout);
        std::fflush(stdout); // a reader piping this sees each request as it arrives
        ++count;
    });
    if (!endpoint.listen(static_cast<quint16>(port))) {
        std::fprintf(stderr, "kmtester-cli serve: cannot listen on 127.0.0.1:%u: %s\n", port,
                     qPrintable(endpoint.errorString()));
        return 1;
    }
    std::fprintf(stderr, "kmtester-cli serve: listening on %s\n", qPrintable(endpoint.baseUrl().toString()));
    std::fflush(stderr);

    QCoreApplication::exec();

    endpoint.close();
    std::fprintf(stderr, "kmtester-cli serve: stopped by %s after %zu request%s\n",
                 termination.signal() == SIGINT ? "SIGINT" : "SIGTERM", count, count == 1 ? "" : "s");
    return 0;
}
