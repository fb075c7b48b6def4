using System.Net.Http.Headers;
using System.Text;

namespace Psistats.Aggregator.Notifications;

/// <summary>Posts a webhook notification; throws when the receiver did not take it.</summary>
public interface IWebhookSender
{
    /// <summary>POSTs <paramref name="json"/> to <paramref name="hook"/>'s URL; returns once it answered 2xx.</summary>
    /// <exception cref="HttpRequestException">No connection, or a status outside 200-299.</exception>
    /// <exception cref="TimeoutException">No complete answer within the hook's timeout.</exception>
    Task SendAsync(WebhookOptions hook, string json, CancellationToken cancellationToken);
}

/// <summary>
/// One JSON POST per notification (<c>Content-Type: application/json; charset=utf-8</c>) through HttpClient, bounded by the
/// webhook's <c>timeout</c>; any status outside 200-299 is a failure the dispatcher retries.
/// </summary>
public sealed class WebhookSender(HttpClient http) : IWebhookSender
{
    /// <inheritdoc />
    public async Task SendAsync(WebhookOptions hook, string json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hook);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(hook.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("psistats-aggregator", typeof(WebhookSender).Assembly.GetName().Version?.ToString(3)));
        try
        {
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{hook.Url} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{hook.Url} did not answer within {hook.Timeout.TotalSeconds} s");
        }
    }
}
