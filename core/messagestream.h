#pragma once

#include "jsonreader.h"
#include "value.h"

#include <QByteArray>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

class QIODevice;

namespace km {
class HarCapture;
}

namespace km {

// One message read from the input, or the reason it could not be read.
struct InputMessage
{
    std::size_t index = 0; // 0-based over all messages, broken ones included
    int line = 0;          // 1-based line where the message starts
    Value value;           // a JSON object when valid, else undefined (and while deferred)
    // With Conversion::Deferred, an NDJSON message that parsed cleanly: its tape, valid until the
    // next call to next(); `value` stays undefined until MessageStream::convert().
    JsonTape tape;
    std::string error; // "line L, column C: what is wrong"; empty when valid
    std::vector<JsonIssue> warnings;
    bool isValid() const { return error.empty(); }
    bool isDeferred() const { return !tape.isNull(); }
};

// Reads the forms a user gives: one Segment message (a JSON object), a JSON array of messages, a
// Segment batch body {"batch": [...], ...}, NDJSON (one message per line, blank lines skipped), or
// a browser's HAR capture (the Segment calls found in its requests).
// NDJSON is streamed in chunks, so memory stays bounded by the longest line; each line stands
// alone, so a broken line yields an error item and the next line goes on.
//
// The form is told by the first non-blank line (after a UTF-8 BOM): '[' starts one array
// document. Otherwise, a value that ends on that line is a document when only whitespace
// follows, else NDJSON; a value that does not end there is a pretty-printed document, unless
// the next non-blank line starts with '{' (then it is a broken first NDJSON line).
//
// Value lifetime: NDJSON values live in the arena passed to next(). The other forms are parsed
// as one document into the stream's own arena; their values stay valid until the stream is
// destroyed, whatever happens to the arena passed to next().
class MessageStream
{
public:
    enum class Format {
        Unknown,  // not detected yet (before the first next())
        Empty,    // only whitespace
        Document, // a single JSON value (normally one message object)
        Array,    // a JSON array of messages
        Batch,    // an object whose "batch" member is an array of messages
        Ndjson,
        Har, // a HAR capture: the Segment calls in its requests (see HarCapture)
    };

    static constexpr std::size_t DefaultChunkSize = 1024 * 1024;

    // The device must be open for reading; it is read from its current position.
    explicit MessageStream(QIODevice *device, std::size_t chunkSize = DefaultChunkSize);
    // Reads from memory without copying (use QByteArray::fromRawData to wrap other buffers).
    explicit MessageStream(QByteArray data);
    ~MessageStream();
    MessageStream(const MessageStream &) = delete;
    MessageStream &operator=(const MessageStream &) = delete;

    // Fills out with the next message; false at the end of the input.
    bool next(InputMessage &out, Arena &arena);

    // JsonReader::StringStorage::Reader: an NDJSON message's strings may stay in the reader's
    // buffer, valid until the next call to next() (the arena still holds the rest). For callers
    // that finish each message before reading the next. Other input forms always use the arena.
    void setStringStorage(JsonReader::StringStorage storage);

    // Deferred: NDJSON messages that the fast parser reads as an object come back as a tape only
    // (InputMessage::tape), for callers that may translate them without Values; convert() makes
    // the Values when they are needed. Other input forms are always converted.
    enum class Conversion { Immediate, Deferred };
    void setConversion(Conversion conversion);
    // Gives a deferred message its value (what Immediate would have given) and drops its tape.
    void convert(InputMessage &message, Arena &arena);

    Format format() const;
    // Tells the input's form before the first message is taken (a document form is read and
    // parsed for that), so that a caller can look at capture() before it translates.
    Format detectFormat();
    // With Format::Har, what the capture holds besides the calls (settings, Kissmetrics requests).
    const HarCapture *capture() const;
    // Hands the capture over once every message is taken (the messages' values live in it).
    std::unique_ptr<HarCapture> takeCapture();
    // Bytes held by the stream's reusable buffers and its JSON reader (not the document arena).
    std::size_t bufferCapacity() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace km
