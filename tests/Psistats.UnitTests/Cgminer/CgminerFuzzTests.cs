using System.Text;
using Psistats.Agent.Cgminer;
using Psistats.Contracts.Frames;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Cgminer;

/// <summary>
/// Thousands of random and mutated replies (seeded, so a failure reproduces): parsing, typing and serialising the
/// frame never throw, through the parse entry point the network path uses and through a real socket.
/// </summary>
public sealed class CgminerFuzzTests
{
    private static readonly byte[][] Seeds = Directory.GetFiles(RepoPaths.Fixture("cgminer"), "*.reply", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();

    private static readonly string[] HugeNumbers =
        ["1e400", "-1e400", "123456789012345678901234567890", "1" + new string('0', 400), "-0", "0.000000000000000000000000001", "9223372036854775808", "NaN", "Infinity"];

    /// <summary>One reply: a fixture mutated once to four times, or (one time in ten) random bytes.</summary>
    private static byte[] Mutant(Random random)
    {
        if (random.Next(10) == 0)
        {
            var noise = new byte[random.Next(0, 600)];
            random.NextBytes(noise);
            return noise;
        }

        var bytes = Seeds[random.Next(Seeds.Length)].ToList();
        for (var m = random.Next(1, 5); m > 0; m--)
        {
            var at = random.Next(bytes.Count + 1);
            switch (random.Next(9))
            {
                case 0: // truncate
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 1: // flip bytes
                    for (var i = random.Next(1, 9); i > 0 && bytes.Count > 0; i--)
                    {
                        bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 2: // NULs
                    bytes.InsertRange(at, new byte[random.Next(1, 4)]);
                    break;
                case 3: // braces, brackets, quotes, separators
                    bytes.InsertRange(at, Encoding.ASCII.GetBytes(new string(Enumerable.Range(0, random.Next(1, 6)).Select(_ => "{}[]\",:|=\\"[random.Next(10)]).ToArray())));
                    break;
                case 4: // a huge or odd number in place of a digit run
                    var digit = bytes.FindIndex(at, b => b is >= (byte)'0' and <= (byte)'9');
                    if (digit >= 0)
                    {
                        var end = bytes.FindIndex(digit, b => b is not (>= (byte)'0' and <= (byte)'9') and not (byte)'.');
                        bytes.RemoveRange(digit, (end < 0 ? bytes.Count : end) - digit);
                        bytes.InsertRange(digit, Encoding.ASCII.GetBytes(HugeNumbers[random.Next(HugeNumbers.Length)]));
                    }

                    break;
                case 5: // deep nesting as a value after an opening brace
                    var brace = bytes.IndexOf((byte)'{', at < bytes.Count ? at : 0);
                    if (brace >= 0)
                    {
                        var depth = random.Next(1, 80);
                        bytes.InsertRange(brace + 1, Encoding.ASCII.GetBytes("\"deep\":" + new string('[', depth) + new string(']', depth) + ","));
                    }

                    break;
                case 6: // repeat a slice
                    var length = random.Next(0, Math.Min(200, bytes.Count - Math.Min(at, bytes.Count)) + 1);
                    bytes.InsertRange(at, bytes.GetRange(Math.Min(at, bytes.Count - length), length));
                    break;
                case 7: // cut a slice out
                    bytes.RemoveRange(Math.Min(at, bytes.Count), random.Next(0, Math.Max(0, bytes.Count - at) + 1));
                    break;
                default: // splice with another fixture
                    var other = Seeds[random.Next(Seeds.Length)];
                    bytes.RemoveRange(at, bytes.Count - at);
                    bytes.AddRange(other.Skip(random.Next(other.Length)));
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Types every section the reply may hold and serialises them as a frame, as a poll would.</summary>
    private static void TypeAndSerialise(CgminerReply reply)
    {
        var (boards, others) = CgminerReplies.Stats(reply);
        var frame = new CgminerFrame
        {
            Hostname = "m",
            ApiOk = true,
            AscCount = CgminerReplies.AscCount(reply),
            Asc = CgminerReplies.Asc(reply) is { } asc ? [asc] : null,
            Coin = CgminerReplies.Coin(reply),
            Pools = CgminerReplies.Pools(reply),
            Summary = CgminerReplies.Summary(reply),
            Boards = boards,
            Stats = others,
            Devs = CgminerReplies.Devs(reply),
        };
        Assert.True(FrameEnvelope.TryParse(FrameSerializer.ToUtf8(frame), int.MaxValue, out _, out var detail) == FrameRejection.None, detail);
    }

    [Fact]
    public void Thousands_of_mutated_replies_give_a_reply_or_an_error_and_never_throw()
    {
        var random = new Random(20140710);
        var replies = 0;
        var errors = 0;
        for (var i = 0; i < 5000; i++)
        {
            var bytes = Mutant(random);
            var terminated = random.Next(2) == 0;

            var result = CgminerProtocol.Parse("stats", null, bytes, terminated);

            Assert.True((result.Reply is null) != (result.Error is null), $"case {i}: exactly one of reply and error");
            if (result.Reply is { } reply)
            {
                TypeAndSerialise(reply);
                replies++;
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(result.Error!.Message));
                errors++;
            }
        }

        // Both paths are exercised: the mutations leave many replies usable (repaired, or changed only in values).
        Assert.InRange(replies, 500, 4500);
        Assert.InRange(errors, 500, 4500);
    }

    [Fact]
    public async Task Hundreds_of_polls_of_a_miner_answering_mutants_always_give_a_publishable_frame()
    {
        var random = new Random(4028);
        await using var miner = new FakeMiner((_, _) =>
        {
            lock (random)
            {
                return new FakeReply.Bytes(Mutant(random));
            }
        });
        var reporter = new CgminerReporter(new CgminerOptions { Name = "m", Host = "127.0.0.1", Port = miner.Port, Hostname = "m" }, TimeProvider.System);

        for (var i = 0; i < 300; i++)
        {
            var reading = await reporter.ReadAsync(CancellationToken.None);

            var frame = Assert.IsType<CgminerFrame>(reading.Frame);
            Assert.Equal(frame.ApiOk, frame.Error is null);
            Assert.Equal(FrameRejection.None, FrameEnvelope.TryParse(FrameSerializer.ToUtf8(frame with { Hostname = "m" }), int.MaxValue, out _, out _));
        }

        Assert.True(miner.Requests >= 300, $"{miner.Requests} requests");
    }
}
