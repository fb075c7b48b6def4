namespace Psistats.Aggregator.Rules;

/// <summary>
/// One rule whose raw condition held on a frame, whatever its <c>for</c> (a pending alert's frame counts): issue 6 counts a
/// cgminer poll with an error-severity match as an error poll.
/// </summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="Instance">The instance its wildcards bound (<c>CTA1</c>, <c>sda</c>, <c>/var</c>), <c>""</c> without.</param>
/// <param name="Value">The value that matched, as text (<c>93</c>, <c>Sick</c>, <c>false</c>).</param>
/// <param name="Threshold">The threshold as the rule states it (<c>&gt; 90</c>, <c>!= Alive</c>).</param>
/// <param name="Severity">The rule's severity.</param>
public sealed record RuleMatch(string Rule, string Instance, string? Value, string? Threshold, Severity Severity);

/// <summary>What the rules made of one frame: the alert transitions it caused, and every match.</summary>
public sealed record FrameVerdict
{
    /// <summary>The verdict of a frame that matched nothing and moved nothing (shared: clean frames allocate nothing).</summary>
    public static readonly FrameVerdict Clean = new([], []);

    /// <summary>A verdict.</summary>
    public FrameVerdict(IReadOnlyList<AlertTransition> transitions, IReadOnlyList<RuleMatch> matches)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        ArgumentNullException.ThrowIfNull(matches);
        Transitions = transitions;
        Matches = matches;
        Worst = matches.Count == 0 ? null : matches.Max(m => m.Severity);
    }

    /// <summary>The alert transitions, in the order they happened (the rules' order, then instances in frame order).</summary>
    public IReadOnlyList<AlertTransition> Transitions { get; }

    /// <summary>Every (rule, instance) whose raw condition held on this frame, regardless of <c>for</c>.</summary>
    public IReadOnlyList<RuleMatch> Matches { get; }

    /// <summary>The highest severity among <see cref="Matches"/>; null when the frame is clean.</summary>
    public Severity? Worst { get; }
}
