using System.Text.RegularExpressions;
using Psistats.Aggregator.Rules;
using Psistats.Contracts.Configuration;
using Psistats.TestSupport;
using static Psistats.UnitTests.Aggregator.Rules.RuleFrames;

namespace Psistats.UnitTests.Aggregator.Rules;

public sealed partial class RulesDocumentationTests
{
    /// <summary>The <c>;key = value</c> lines of the commented <c>;[rule:NAME]</c> block of the shipped psistats.ini.</summary>
    private static List<(string Key, string Value)> CommentedRuleExample()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "psistats.ini"));
        var start = Array.IndexOf(lines, ";[rule:NAME]");
        Assert.True(start >= 0, "psistats.ini has no commented ;[rule:NAME] example");
        return [.. lines.Skip(start + 1)
            .TakeWhile(l => l.StartsWith(';'))
            .Select(l => KeyLine().Match(l))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value.Trim()))];
    }

    [Fact]
    public void The_shipped_psistats_ini_gives_the_builtins_untouched()
    {
        var configuration = ConfigLoader.Load(Path.Combine(RepoPaths.Root, "psistats.ini"));
        var reader = new SettingsReader(configuration);

        var rules = RuleSet.Read(reader, ["email"]);

        Assert.Empty(reader.Errors);
        Assert.All(rules.Rules, r => Assert.Equal(RuleSources.Builtin, r.Source));
    }

    [Fact]
    public void Psistats_ini_documents_every_rule_key()
    {
        Assert.Equal(RuleSet.Keys.Order(), CommentedRuleExample().Select(p => p.Key).Order());
    }

    [Fact]
    public void The_commented_rule_example_uncommented_is_a_valid_active_rule()
    {
        var ini = "[rule:NAME]\n" + string.Concat(CommentedRuleExample().Select(p => $"{p.Key} = {p.Value}\n"));

        var rule = Valid(ini).Find("NAME")!;

        Assert.Equal((RuleSources.File, true, "filesystems[\"/\"].pcent > 95", Severity.Warning), (rule.Source, rule.Active, rule.Condition, rule.Severity));
        Assert.Equal("filesystems[\"/\"].pcent < 90", rule.Clear);
        Assert.Null(rule.Notifiers);
    }

    [Fact]
    public void Docs_rules_md_lists_every_builtin_with_its_kind_and_severity()
    {
        var rows = File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "rules.md"))
            .Select(l => TableRow().Match(l))
            .Where(m => m.Success)
            .Select(m => (Name: m.Groups[1].Value, Kind: m.Groups[2].Value.Trim(), Severity: m.Groups[3].Value.Trim()))
            .ToList();
        var builtins = Valid("").Rules;

        Assert.Equal(builtins.Select(r => r.Name), rows.Select(r => r.Name));
        Assert.All(builtins.Zip(rows), p =>
            Assert.Equal((p.First.Kind, RuleSet.Severities[(int)p.First.Severity]), (p.Second.Kind, p.Second.Severity)));
    }

    [GeneratedRegex("^;([a-z_]+) =(.*)$")]
    private static partial Regex KeyLine();

    /// <summary>A row of the built-ins table: | `name` | kind | condition | severity | ...</summary>
    [GeneratedRegex(@"^\| `([a-z_]+)` \| ([a-z_]+) \| .*? \| (info|warning|error|critical) \|")]
    private static partial Regex TableRow();
}
