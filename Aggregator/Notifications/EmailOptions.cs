using System.Net;
using System.Net.Mail;
using Psistats.Aggregator.Rules;
using Psistats.Contracts.Configuration;

namespace Psistats.Aggregator.Notifications;

/// <summary>
/// <c>[email]</c> of psistats.ini: the SMTP notifier, sent through System.Net.Mail.SmtpClient (MailKit is not available here,
/// platform.md). Errors and criticals go out at once, warnings and infos in one digest per <see cref="DigestInterval"/>
/// (Diskmonitor's <c>send_interval</c>).
/// </summary>
public sealed record EmailOptions
{
    /// <summary>The section, and the notifier's name in a rule's <c>notifiers</c>.</summary>
    public const string Section = "email";

    /// <summary>Keys of <c>[email]</c>.</summary>
    public static readonly string[] Keys =
    [
        "enabled", "smtp_host", "smtp_port", "starttls", "username", "password", "from", "to", "to_critical", "to_error", "to_warning",
        "to_info", "digest_interval", "timeout",
    ];

    /// <summary><c>enabled</c>: whether email is sent at all, default no.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>smtp_host</c>: the SMTP server (a relay or the mail server), default localhost.</summary>
    public string SmtpHost { get; init; } = "localhost";

    /// <summary><c>smtp_port</c>: default 25 (587 for submission with STARTTLS).</summary>
    public int SmtpPort { get; init; } = 25;

    /// <summary>
    /// <c>starttls</c>: upgrade the connection with STARTTLS before sending (SmtpClient.EnableSsl), default no. SmtpClient has
    /// no implicit TLS (port 465).
    /// </summary>
    public bool StartTls { get; init; }

    /// <summary><c>username</c>: SMTP login (AUTH), or null for none.</summary>
    public string? Username { get; init; }

    /// <summary><c>password</c>: the login's password (an environment override keeps it out of the file: PSISTATS_email__password).</summary>
    public string? Password { get; init; }

    /// <summary><c>from</c>: the sender address, default <c>psistats@</c> this machine's host name.</summary>
    public MailAddress From { get; init; } = DefaultFrom();

    /// <summary><c>to</c>: default recipients of every severity.</summary>
    public IReadOnlyList<MailAddress> To { get; init; } = [];

    /// <summary><c>to_critical</c>, <c>to_error</c>, <c>to_warning</c>, <c>to_info</c>: recipients per severity; a severity not listed goes to <see cref="To"/>.</summary>
    public IReadOnlyDictionary<Severity, IReadOnlyList<MailAddress>> ToBySeverity { get; init; } = new Dictionary<Severity, IReadOnlyList<MailAddress>>();

    /// <summary><c>digest_interval</c>: warnings and infos wait at most this long and go out together, default 60 s.</summary>
    public TimeSpan DigestInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>timeout</c>: bound of one SMTP conversation (SmtpClient.Timeout), default 30 s.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The recipients of a notification of <paramref name="severity"/> (per-severity list, else <see cref="To"/>); may be empty.</summary>
    public IReadOnlyList<MailAddress> RecipientsFor(Severity severity) =>
        ToBySeverity.TryGetValue(severity, out var list) ? list : To;

    /// <summary>Reads and validates <c>[email]</c>; problems go to <paramref name="reader"/>.</summary>
    public static EmailOptions Read(SettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        reader.CheckUnknownKeys(Section, Keys);
        var defaults = new EmailOptions();
        var enabled = reader.GetBool(Section, "enabled", false);
        var username = reader.GetRaw(Section, "username");
        var password = reader.GetRaw(Section, "password");
        if (username is not null && password is null)
        {
            reader.AddError(Section, "password", "required when username is set");
        }

        var from = defaults.From;
        if (reader.GetRaw(Section, "from") is { } rawFrom)
        {
            if (Addresses(reader, "from", rawFrom) is [var single])
            {
                from = single;
            }
            else
            {
                reader.AddError(Section, "from", $"'{rawFrom}' must be exactly one address");
            }
        }

        var to = Addresses(reader, "to", reader.GetRaw(Section, "to"));
        var bySeverity = new Dictionary<Severity, IReadOnlyList<MailAddress>>();
        foreach (var (severity, key) in new[] { (Severity.Critical, "to_critical"), (Severity.Error, "to_error"), (Severity.Warning, "to_warning"), (Severity.Info, "to_info") })
        {
            if (reader.GetRaw(Section, key) is { } raw)
            {
                bySeverity[severity] = Addresses(reader, key, raw);
            }
        }

        if (enabled && to.Count == 0 && bySeverity.Values.All(list => list.Count == 0))
        {
            reader.AddError(Section, "to", "no recipient: set to (or to_critical, to_error, to_warning, to_info)");
        }

        return new EmailOptions
        {
            Enabled = enabled,
            SmtpHost = reader.GetString(Section, "smtp_host", defaults.SmtpHost),
            SmtpPort = (int)reader.GetInt(Section, "smtp_port", defaults.SmtpPort, 1, 65535),
            StartTls = reader.GetBool(Section, "starttls", defaults.StartTls),
            Username = username,
            Password = password,
            From = from,
            To = to,
            ToBySeverity = bySeverity,
            DigestInterval = reader.GetSeconds(Section, "digest_interval", defaults.DigestInterval.TotalSeconds, 1, 86400),
            Timeout = reader.GetSeconds(Section, "timeout", defaults.Timeout.TotalSeconds, 1, 600),
        };
    }

    /// <summary>Parses a comma-separated address list (RFC 5322 forms, <c>Ops &lt;ops@example.org&gt;</c> too) with MailAddressCollection.</summary>
    private static List<MailAddress> Addresses(SettingsReader reader, string key, string? raw)
    {
        if (raw is null)
        {
            return [];
        }

        var collection = new MailAddressCollection();
        try
        {
            collection.Add(raw);
        }
        catch (FormatException ex)
        {
            reader.AddError(Section, key, $"'{raw}' is not a comma-separated list of email addresses ({ex.Message})");
            return [];
        }

        return [.. collection];
    }

    private static MailAddress DefaultFrom()
    {
        var host = MessageText.MessageIdDomain(Dns.GetHostName());
        return new MailAddress($"psistats@{host}");
    }
}
