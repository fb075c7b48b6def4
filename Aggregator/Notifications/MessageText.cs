using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Psistats.Aggregator.Storage;

namespace Psistats.Aggregator.Notifications;

/// <summary>
/// The words of every notification: subjects, plain-text bodies, digest lines and webhook payloads. Everything that can come
/// from a frame (host names, instances, values, pool URLs) passes <see cref="Clean"/> before it reaches a subject, a header or
/// a body line: CR, LF and every other control character become visible escapes (<c>\r</c>, <c>\n</c>, <c>\u001b</c>), so no
/// text can start a header (no injected <c>Bcc:</c>) or break a line of the message.
/// </summary>
public static class MessageText
{
    /// <summary>Longest field kept in a subject or body line, characters; longer ones are cut and end in <c>…</c>.</summary>
    public const int MaxFieldLength = 512;

    /// <summary>The most member lines in a grouped message's body; the rest are counted (<c>... and N more</c>).</summary>
    public const int MaxGroupLines = 100;

    /// <summary>Every subject starts with this.</summary>
    public const string SubjectPrefix = "[psistats]";

    /// <summary>
    /// One line of text safe for a header or a body line: control characters (C0, DEL, C1) and the Unicode line and paragraph
    /// separators replaced by visible escapes; cut to <paramref name="maxLength"/>. Null becomes <c>""</c>.
    /// </summary>
    public static string Clean(string? text, int maxLength = MaxFieldLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            AppendVisible(builder, c);
        }

        if (builder.Length <= maxLength)
        {
            return builder.ToString();
        }

        var cut = char.IsHighSurrogate(builder[maxLength - 2]) ? maxLength - 2 : maxLength - 1;
        return string.Concat(builder.ToString(0, cut), "…");
    }

    /// <summary>
    /// Text of several lines (a remediation report, diagnostics output) safe for a plain-text body: line breaks (CRLF, CR, LF)
    /// become LF and tabs stay; every other control character becomes a visible escape.
    /// </summary>
    public static string CleanBody(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(text.Length);
        var normalised = text.ReplaceLineEndings("\n");
        foreach (var c in normalised)
        {
            if (c is '\n' or '\t')
            {
                builder.Append(c);
            }
            else
            {
                AppendVisible(builder, c);
            }
        }

        return builder.ToString();
    }

    /// <summary>UTC ISO-8601 to the second, e.g. <c>2026-01-01T12:00:00Z</c>.</summary>
    public static string IsoTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A duration for people: <c>45 s</c>, <c>12 min 3 s</c>, <c>2 h 0 min 5 s</c>, <c>3 d 4 h 0 min 0 s</c> (whole seconds, rounded down).</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        var parts = new List<string>();
        if (duration.Days > 0)
        {
            parts.Add($"{duration.Days} d");
        }

        if (parts.Count > 0 || duration.Hours > 0)
        {
            parts.Add($"{duration.Hours} h");
        }

        if (parts.Count > 0 || duration.Minutes > 0)
        {
            parts.Add($"{duration.Minutes} min");
        }

        parts.Add($"{duration.Seconds} s");
        return string.Join(' ', parts);
    }

    /// <summary>
    /// The subject of one notification, e.g. <c>[psistats] FIRING error: server1 disk_space /var (93 &gt; 90)</c>,
    /// <c>[psistats] RESOLVED error: server1 disk_space /var after 12 min 3 s</c>; a given subject is used as is (cleaned).
    /// </summary>
    public static string Subject(Notice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (notice.Subject is not null)
        {
            return Clean(notice.Subject);
        }

        var head = $"{SubjectPrefix} {Title(notice.Kind)} {AlertStore.SeverityName(notice.Severity)}: {What(notice)}";
        return notice.Kind switch
        {
            NotificationKinds.Resolved => $"{head}{After(notice)}",
            NotificationKinds.Repeat => $"{head}{ValueAndThreshold(notice)}{FiringFor(notice)}",
            _ => $"{head}{ValueAndThreshold(notice)}",
        };
    }

    /// <summary>The plain-text body of one notification: a title line, then one line per field (host, rule, instance, severity, value, threshold, since, for resolved the duration), then the summary.</summary>
    public static string Body(Notice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var body = new StringBuilder();
        if (notice.Body is not null)
        {
            body.Append(CleanBody(notice.Body).TrimEnd('\n')).Append('\n');
            return AppendFooter(body);
        }

        body.Append(CultureInfo.InvariantCulture, $"{Title(notice.Kind)} ({AlertStore.SeverityName(notice.Severity)}): {What(notice)}\n\n");
        Field(body, "Host", notice.Key.Host);
        Field(body, "Rule", notice.Key.Rule);
        Field(body, "Instance", notice.Key.Instance);
        Field(body, "Severity", AlertStore.SeverityName(notice.Severity));
        Field(body, notice.Kind == NotificationKinds.Resolved ? "Value now" : "Value", notice.Value);
        Field(body, "Threshold", notice.Threshold);
        Field(body, "Since", notice.Since is { } since ? IsoTime(since) : null);
        if (notice.Kind == NotificationKinds.Resolved)
        {
            Field(body, "Resolved", IsoTime(notice.At));
            Field(body, "Duration", notice.Duration is { } d ? Duration(d) : null);
        }
        else if (notice.Kind == NotificationKinds.Repeat && notice.Since is { } firingSince)
        {
            Field(body, "Firing for", Duration(notice.At - firingSince));
        }

        Field(body, "Summary", notice.Summary);
        return AppendFooter(body);
    }

    /// <summary>
    /// The notification's line in a digest, Diskmonitor style:
    /// <c>[FIRING warning] Host: H, rule R, instance I: value V, threshold T, since S</c> (<c>, after D</c> for a resolve).
    /// </summary>
    public static string Line(Notice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"[{Title(notice.Kind)} {AlertStore.SeverityName(notice.Severity)}] Host: {Clean(notice.Key.Host)}");
        if (notice.Key.Rule.Length > 0)
        {
            line.Append(CultureInfo.InvariantCulture, $", rule {Clean(notice.Key.Rule)}");
        }

        if (notice.Key.Instance.Length > 0)
        {
            line.Append(CultureInfo.InvariantCulture, $", instance {Clean(notice.Key.Instance)}");
        }

        var details = new List<string>();
        if (notice.Value is not null)
        {
            details.Add($"value {Clean(notice.Value)}");
        }

        if (notice.Threshold is not null)
        {
            details.Add($"threshold {Clean(notice.Threshold)}");
        }

        if (notice.Since is { } since)
        {
            details.Add($"since {IsoTime(since)}");
        }

        if (notice.Kind == NotificationKinds.Resolved && notice.Duration is { } duration)
        {
            details.Add($"after {Duration(duration)}");
        }

        if (notice.Subject is not null)
        {
            details.Add(Clean(notice.Subject));
        }

        if (details.Count > 0)
        {
            line.Append(": ").AppendJoin(", ", details);
        }

        return line.ToString();
    }

    /// <summary>
    /// The JSON a webhook receives (without <c>message_id</c>, added at sending): <c>kind</c>, <c>severity</c>, <c>rule</c>,
    /// <c>host</c>, <c>instance</c>, <c>value</c>, <c>threshold</c>, <c>since</c> (ISO-8601 UTC or null), <c>at</c>,
    /// <c>duration_seconds</c> (resolved; else null), <c>summary</c>, <c>subject</c>, <c>body</c>. Strings are cleaned like the
    /// email's, so a chat bridge cannot be handed extra lines either.
    /// </summary>
    public static JsonObject Payload(Notice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return new JsonObject
        {
            ["kind"] = notice.Kind,
            ["severity"] = AlertStore.SeverityName(notice.Severity),
            ["rule"] = Clean(notice.Key.Rule),
            ["host"] = Clean(notice.Key.Host),
            ["instance"] = Clean(notice.Key.Instance),
            ["value"] = notice.Value is null ? null : Clean(notice.Value),
            ["threshold"] = notice.Threshold is null ? null : Clean(notice.Threshold),
            ["since"] = notice.Since is { } since ? IsoTime(since) : null,
            ["at"] = IsoTime(notice.At),
            ["duration_seconds"] = notice.Duration is { } d ? Math.Floor(d.TotalSeconds) : null,
            ["summary"] = notice.Summary is null ? Subject(notice) : Clean(notice.Summary),
            ["subject"] = Subject(notice),
            ["body"] = Body(notice),
        };
    }

    /// <summary>The subject of a digest: <c>[psistats] DIGEST: 3 notifications (2 warning, 1 info) on server1, server2</c> (at most three host names, then <c>+N more</c>).</summary>
    public static string DigestSubject(IReadOnlyCollection<OutboxRow> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var severities = members.GroupBy(m => m.Severity).OrderByDescending(g => g.Key)
            .Select(g => $"{g.Count()} {AlertStore.SeverityName(g.Key)}");
        var hosts = members.Select(m => m.Host).Where(h => h.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var on = hosts.Count == 0 ? "" : " on " + string.Join(", ", hosts.Take(3).Select(h => Clean(h, 64))) + (hosts.Count > 3 ? $" +{hosts.Count - 3} more" : "");
        var noun = members.Count == 1 ? "notification" : "notifications";
        return $"{SubjectPrefix} DIGEST: {members.Count} {noun} ({string.Join(", ", severities)}){on}";
    }

    /// <summary>The body of a digest: a heading, then the members' <see cref="Line"/>s, oldest first.</summary>
    public static string DigestBody(IReadOnlyCollection<OutboxRow> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var ordered = members.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToList();
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"{ordered.Count} {(ordered.Count == 1 ? "notification" : "notifications")} since {IsoTime(ordered[0].CreatedAt)}:\n\n");
        foreach (var member in ordered)
        {
            body.Append(member.Line).Append('\n');
        }

        return AppendFooter(body);
    }

    /// <summary>
    /// The subject of a grouped message (one rule, kind and severity; <see cref="OutboxGroup"/>):
    /// <c>[psistats] FIRING error: host_down on 50 hosts (web01, web02, web03 +47 more)</c>, or, when some host has several
    /// instances, <c>[psistats] FIRING error: disk_space, 5 alerts on 2 hosts (a, b)</c>.
    /// </summary>
    public static string GroupSubject(IReadOnlyList<OutboxRow> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        return $"{SubjectPrefix} {Title(members[0].Kind)} {AlertStore.SeverityName(members[0].Severity)}: {GroupWhat(members)}";
    }

    /// <summary>
    /// The body of a grouped message: a title line, then the members' <see cref="Line"/>s oldest first, at most
    /// <see cref="MaxGroupLines"/> of them and then <c>... and N more</c>; when <paramref name="following"/> &gt; 0, a line
    /// saying that many members of the group follow in further messages (past <c>group_max</c>).
    /// </summary>
    public static string GroupBody(IReadOnlyList<OutboxRow> members, long following)
    {
        ArgumentNullException.ThrowIfNull(members);
        var ordered = members.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToList();
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"{Title(ordered[0].Kind)} ({AlertStore.SeverityName(ordered[0].Severity)}): {GroupWhat(ordered)}\n\n");
        foreach (var member in ordered.Take(MaxGroupLines))
        {
            body.Append(member.Line).Append('\n');
        }

        if (ordered.Count > MaxGroupLines)
        {
            body.Append(CultureInfo.InvariantCulture, $"... and {ordered.Count - MaxGroupLines} more\n");
        }

        if (following > 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"\n{following} more of this group follow in further messages.\n");
        }

        return AppendFooter(body);
    }

    /// <summary>
    /// The JSON a webhook receives for a grouped message, instead of one POST per notification: <c>kind</c>, <c>severity</c>,
    /// <c>rule</c>, <c>count</c> (members), <c>subject</c> and <c>body</c> (<see cref="GroupSubject"/>, <see cref="GroupBody"/>),
    /// <c>alerts</c> (the members' own payloads, <see cref="Payload"/>, each with its <c>message_id</c>) and the group's
    /// <c>message_id</c> (<see cref="GroupMessageId"/>). A receiver tells it from a single notification by <c>alerts</c>.
    /// </summary>
    public static JsonObject GroupPayload(IReadOnlyList<OutboxRow> members, long following, string host)
    {
        ArgumentNullException.ThrowIfNull(members);
        var alerts = new JsonArray();
        foreach (var member in members.OrderBy(m => m.Id))
        {
            var payload = JsonNode.Parse(member.Payload ?? "{}")!.AsObject();
            payload["message_id"] = MessageId(member.Id, host);
            alerts.Add(payload);
        }

        var first = members[0];
        return new JsonObject
        {
            ["kind"] = first.Kind,
            ["severity"] = AlertStore.SeverityName(first.Severity),
            ["rule"] = Clean(first.Rule),
            ["count"] = members.Count,
            ["subject"] = GroupSubject(members),
            ["body"] = GroupBody(members, following),
            ["alerts"] = alerts,
            ["message_id"] = GroupMessageId(members.Select(m => m.Id).ToList(), host),
        };
    }

    /// <summary>
    /// The Message-ID of outbox row <paramref name="id"/>: <c>&lt;psistats-outbox-ID@host&gt;</c>. Stable across restarts, so a
    /// receiver can drop the duplicate a crash between sending and marking as sent may cause.
    /// </summary>
    public static string MessageId(long id, string host) => $"<psistats-outbox-{id.ToString(CultureInfo.InvariantCulture)}@{MessageIdDomain(host)}>";

    /// <summary>The Message-ID of a digest: its lowest row id and a hash of all its row ids (the same members give the same id).</summary>
    public static string DigestMessageId(IReadOnlyCollection<long> ids, string host) => MembersMessageId(ids, "digest", host);

    /// <summary>The Message-ID of a grouped message, <c>&lt;psistats-outbox-ID-group-HASH@host&gt;</c>, made as <see cref="DigestMessageId"/>'s.</summary>
    public static string GroupMessageId(IReadOnlyCollection<long> ids, string host) => MembersMessageId(ids, "group", host);

    /// <summary>A host name reduced to what a Message-ID's right side and an address may hold (letters, digits, <c>.</c>, <c>-</c>); <c>localhost</c> when nothing is left.</summary>
    public static string MessageIdDomain(string host)
    {
        var kept = new string((host ?? "").Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-').ToArray()).Trim('.', '-');
        return kept.Length == 0 ? "localhost" : kept;
    }

    /// <summary><c>host_down on 50 hosts (web01, web02, web03 +47 more)</c>, or <c>disk_space, 5 alerts on 2 hosts (a, b)</c>.</summary>
    private static string GroupWhat(IReadOnlyList<OutboxRow> members)
    {
        var rule = Clean(members[0].Rule);
        var hosts = members.Select(m => m.Host).Distinct(StringComparer.Ordinal).ToList();
        var onHosts = $"on {hosts.Count} {(hosts.Count == 1 ? "host" : "hosts")}";
        var names = string.Join(", ", hosts.Take(3).Select(h => Clean(h, 64))) + (hosts.Count > 3 ? $" +{hosts.Count - 3} more" : "");
        return hosts.Count == members.Count ? $"{rule} {onHosts} ({names})" : $"{rule}, {members.Count} alerts {onHosts} ({names})";
    }

    private static string MembersMessageId(IReadOnlyCollection<long> ids, string tag, string host)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var ordered = ids.Order().ToList();
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes(string.Join(',', ordered)));
        return $"<psistats-outbox-{ordered[0].ToString(CultureInfo.InvariantCulture)}-{tag}-{Convert.ToHexStringLower(hash, 0, 6)}@{MessageIdDomain(host)}>";
    }

    private static string Title(string kind) => kind switch
    {
        NotificationKinds.Firing => "FIRING",
        NotificationKinds.Repeat => "STILL FIRING",
        NotificationKinds.Resolved => "RESOLVED",
        _ => Clean(kind.ToUpperInvariant(), 32),
    };

    private static string What(Notice notice)
    {
        var parts = new[] { notice.Key.Host, notice.Key.Rule, notice.Key.Instance }.Where(p => p.Length > 0).Select(p => Clean(p));
        return string.Join(' ', parts);
    }

    private static string ValueAndThreshold(Notice notice) => (notice.Value, notice.Threshold) switch
    {
        ({ } value, { } threshold) => $" ({Clean(value)} {Clean(threshold)})",
        ({ } value, null) => $" ({Clean(value)})",
        _ => "",
    };

    private static string After(Notice notice) => notice.Duration is { } duration ? $" after {Duration(duration)}" : "";

    private static string FiringFor(Notice notice) => notice.Since is { } since ? $", firing for {Duration(notice.At - since)}" : "";

    private static void Field(StringBuilder body, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            body.Append(CultureInfo.InvariantCulture, $"{name + ":",-11} {Clean(value)}\n");
        }
    }

    private static string AppendFooter(StringBuilder body) =>
        body.Append(CultureInfo.InvariantCulture, $"\n-- \npsistats-aggregator on {Clean(Environment.MachineName)}\n").ToString();

    private static void AppendVisible(StringBuilder builder, char c)
    {
        switch (c)
        {
            case '\r':
                builder.Append("\\r");
                break;
            case '\n':
                builder.Append("\\n");
                break;
            case '\t':
                builder.Append("\\t");
                break;
            default:
                if (char.IsControl(c) || c is '\u2028' or '\u2029')
                {
                    builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                }
                else
                {
                    builder.Append(c);
                }

                break;
        }
    }
}
