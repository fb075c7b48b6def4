using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;

namespace Psistats.Aggregator.Notifications;

/// <summary>One email to send: an outbox row, or a digest of several.</summary>
/// <param name="MessageId">The Message-ID header, <c>&lt;psistats-outbox-ID@host&gt;</c> (stable per row, so a receiver can drop a duplicate).</param>
/// <param name="Recipients">Comma-separated addresses, as stored in the outbox.</param>
/// <param name="Subject">One line, already cleaned by <see cref="MessageText"/>.</param>
/// <param name="Body">Plain text, already cleaned.</param>
/// <param name="Attachments">Files (issue 6's gzip bundle).</param>
public sealed record EmailMessage(string MessageId, string Recipients, string Subject, string Body, IReadOnlyList<NotificationAttachment> Attachments);

/// <summary>Sends an email; throws when the SMTP server did not take it.</summary>
public interface IEmailSender
{
    /// <summary>Sends <paramref name="message"/>; returns once the server accepted it.</summary>
    /// <exception cref="SmtpException">The server refused it or could not be reached.</exception>
    /// <exception cref="TimeoutException">The conversation took longer than <c>[email] timeout</c>.</exception>
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// SMTP through System.Net.Mail.SmtpClient (BCL; MailKit is not available here): <c>[email] smtp_host</c>:<c>smtp_port</c>,
/// STARTTLS when <c>starttls</c> (SmtpClient.EnableSsl; there is no implicit TLS), AUTH when <c>username</c> is set. A new
/// client per message (SmtpClient is not thread-safe and keeps no useful connection state). Subject, headers and body are
/// UTF-8 (encoded-words in headers; the body 7bit when ASCII, else quoted-printable); attachments keep their content type
/// (<c>application/gzip</c>).
/// </summary>
public sealed class EmailSender(EmailOptions options) : IEmailSender
{
    /// <inheritdoc />
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var mail = Build(message, options.From);
        using var client = new SmtpClient(options.SmtpHost, options.SmtpPort)
        {
            EnableSsl = options.StartTls,
            Timeout = (int)options.Timeout.TotalMilliseconds,
            DeliveryMethod = SmtpDeliveryMethod.Network,
        };
        if (options.Username is { } username)
        {
            client.Credentials = new NetworkCredential(username, options.Password);
        }

        // SmtpClient.Timeout only bounds the synchronous Send: bound the asynchronous conversation ourselves.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            await client.SendMailAsync(mail, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"SMTP {options.SmtpHost}:{options.SmtpPort} did not take the message within {options.Timeout.TotalSeconds} s");
        }
    }

    /// <summary>
    /// The MailMessage of <paramref name="message"/>: From, To, a stable Message-ID, <c>Auto-Submitted: auto-generated</c>
    /// (RFC 3834: no auto-replies), the subject cleaned once more (MailMessage refuses CR/LF in a subject), a plain UTF-8 body
    /// with CRLF line ends and the attachments.
    /// </summary>
    /// <exception cref="FormatException">A recipient is not an address.</exception>
    public static MailMessage Build(EmailMessage message, MailAddress from)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(from);
        // CRLF, as SMTP lines end; plain 7bit when it is ASCII in lines SMTP allows (RFC 5322: 998 characters), so the message
        // reads as sent even in raw form; otherwise quoted-printable.
        var body = message.Body.ReplaceLineEndings("\r\n");
        var sevenBit = Ascii.IsValid(body) && body.Split("\r\n").All(line => line.Length <= 998);
        var mail = new MailMessage
        {
            From = from,
            Subject = MessageText.Clean(message.Subject, int.MaxValue),
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            Body = body,
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = sevenBit ? TransferEncoding.SevenBit : TransferEncoding.QuotedPrintable,
            IsBodyHtml = false,
        };
        try
        {
            mail.To.Add(message.Recipients);
            mail.Headers.Add("Message-ID", MessageText.Clean(message.MessageId));
            mail.Headers.Add("Auto-Submitted", "auto-generated");
            foreach (var attachment in message.Attachments)
            {
                var part = new Attachment(new MemoryStream(attachment.Content.ToArray(), writable: false), new ContentType(attachment.ContentType));
                part.ContentType.Name = MessageText.Clean(attachment.Name);
                part.ContentDisposition!.FileName = MessageText.Clean(attachment.Name);
                part.NameEncoding = Encoding.UTF8;
                mail.Attachments.Add(part);
            }
        }
        catch
        {
            mail.Dispose();
            throw;
        }

        return mail;
    }
}
