using Psistats.Contracts.Topology;

namespace Psistats.UnitTests.Contracts;

public sealed class RoutingKeyTests
{
    [Theory]
    [InlineData("web01", "web01")]
    [InlineData("web01.example.com", "web01_example_com")]
    [InlineData("WEB01.Example.COM", "web01_example_com")]
    [InlineData("db-2_east", "db-2_east")]
    [InlineData("host*with#topic chars", "host_with_topic_chars")]
    [InlineData("  spaced  ", "spaced")]
    [InlineData("hôte", "h_te")]
    [InlineData("", "_")]
    public void Host_becomes_one_topic_word(string hostname, string word) => Assert.Equal(word, RoutingKeys.HostWord(hostname));

    [Fact]
    public void Routing_key_is_prefix_host_reporter() =>
        Assert.Equal("psistats.web01_example_com.cpu_temp", RoutingKeys.ForFrame("psistats", "web01.example.com", "cpu_temp"));

    [Fact]
    public void Very_long_hostnames_keep_the_routing_key_under_255_bytes()
    {
        var key = RoutingKeys.ForFrame(new string('p', 100), new string('h', 400), "cpu_temp");

        Assert.True(key.Length <= 255, $"{key.Length} bytes");
        Assert.Equal(RoutingKeys.MaxHostWordLength, key.Split('.')[1].Length);
    }

    [Theory]
    [InlineData("psistats.*.cpu", "psistats.web01_example_com.cpu", true)]
    [InlineData("psistats.*.cpu", "psistats.web01_example_com.cpu_temp", false)]
    [InlineData("psistats.web01.#", "psistats.web01.mem", true)]
    [InlineData("psistats.web01.#", "psistats.web01_example_com.mem", false)]
    [InlineData("psistats.#", "psistats.a.b", true)]
    public void Bindings_match_as_a_topic_exchange_matches(string binding, string key, bool matches) =>
        Assert.Equal(matches, TopicMatch(binding.Split('.'), key.Split('.')));

    // AMQP 0-9-1 topic matching: '*' is exactly one word, '#' zero or more.
    private static bool TopicMatch(ReadOnlySpan<string> pattern, ReadOnlySpan<string> words)
    {
        if (pattern.IsEmpty)
        {
            return words.IsEmpty;
        }

        if (pattern[0] == "#")
        {
            for (var skip = 0; skip <= words.Length; skip++)
            {
                if (TopicMatch(pattern[1..], words[skip..]))
                {
                    return true;
                }
            }

            return false;
        }

        return !words.IsEmpty && (pattern[0] == "*" || pattern[0] == words[0]) && TopicMatch(pattern[1..], words[1..]);
    }
}
