using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Rules;
using Psistats.TestSupport;

namespace Psistats.IntegrationTests.Notifications;

/// <summary>The outbox, dispatcher and WebhookSender against a real HTTP endpoint (Kestrel on loopback).</summary>
public sealed class WebhookDeliveryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>A Kestrel endpoint on 127.0.0.1 recording each POST to /hook and answering as <see cref="Answer"/> says.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly List<(string ContentType, string Body)> _posts = [];
        private WebApplication? _app;

        public int Port { get; } = FreePort();

        public Uri Url => new($"http://127.0.0.1:{Port}/hook");

        /// <summary>For the Nth POST (1-based): the status to answer and how long to wait first.</summary>
        public Func<int, (int Status, TimeSpan Delay)> Answer { get; set; } = _ => (200, TimeSpan.Zero);

        public IReadOnlyList<(string ContentType, string Body)> Posts
        {
            get
            {
                lock (_posts)
                {
                    return _posts.ToList();
                }
            }
        }

        public async Task StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
            _app = builder.Build();
            var count = 0;
            _app.MapPost("/hook", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                var body = await reader.ReadToEndAsync();
                var (status, delay) = Answer(Interlocked.Increment(ref count));
                await Task.Delay(delay);
                lock (_posts)
                {
                    _posts.Add((request.ContentType ?? "", body));
                }

                return Results.StatusCode(status);
            });
            await _app.StartAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.StopAsync();
                await _app.DisposeAsync();
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    private static NotificationOptions Options(Uri url, double timeoutSeconds = 5) => new()
    {
        RetryInitial = TimeSpan.FromSeconds(0.2),
        RetryMax = TimeSpan.FromSeconds(1),
        Webhooks = [new WebhookOptions { Name = "chat", Url = url, Timeout = TimeSpan.FromSeconds(timeoutSeconds), MinSeverity = Severity.Warning }],
    };

    [Fact]
    public async Task A_firing_alert_is_one_json_post_with_the_documented_fields()
    {
        await using var receiver = new Receiver();
        await receiver.StartAsync();
        await using var rig = new NotificationRig(Options(receiver.Url));
        await rig.StartAsync();

        var id = Assert.Single(rig.Commit(NotificationRig.Firing("server1", Severity.Error)).OutboxIds);
        rig.Commit(NotificationRig.Firing("quiet", Severity.Info));

        await rig.AllSentAsync();
        var (contentType, body) = Assert.Single(receiver.Posts);
        Assert.Equal("application/json; charset=utf-8", contentType);
        var payload = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(("firing", "error", "disk_space", "server1", "/var"),
            ((string?)payload["kind"], (string?)payload["severity"], (string?)payload["rule"], (string?)payload["host"], (string?)payload["instance"]));
        Assert.Equal(("93", "> 90", "pcent 93 > 90"), ((string?)payload["value"], (string?)payload["threshold"], (string?)payload["summary"]));
        Assert.True(DateTimeOffset.TryParse((string?)payload["since"], out _));
        Assert.Null(payload["duration_seconds"]);
        Assert.Equal($"<psistats-outbox-{id}@aggregator.example.test>", (string?)payload["message_id"]);
    }

    [Fact]
    public async Task A_webhook_that_does_not_answer_within_its_timeout_fails_and_is_retried()
    {
        await using var receiver = new Receiver { Answer = n => (200, n == 1 ? TimeSpan.FromSeconds(5) : TimeSpan.Zero) };
        await receiver.StartAsync();
        await using var rig = new NotificationRig(Options(receiver.Url, timeoutSeconds: 0.5));
        await rig.StartAsync();

        var id = Assert.Single(rig.Commit(NotificationRig.Firing("server1", Severity.Error)).OutboxIds);

        await rig.AllSentAsync();
        var row = rig.Outbox.Get(id)!;
        Assert.Equal(1, row.Attempts);
        Assert.Equal($"{receiver.Url} did not answer within 0.5 s", row.LastError);
        Assert.NotNull(row.SentAt);
    }

    [Fact]
    public async Task A_webhook_that_is_down_or_answers_5xx_is_retried_until_it_takes_the_post_once()
    {
        await using var receiver = new Receiver { Answer = n => (n <= 2 ? 503 : 204, TimeSpan.Zero) };
        await using var rig = new NotificationRig(Options(receiver.Url));
        await rig.StartAsync();

        var id = Assert.Single(rig.Commit(NotificationRig.Firing("server1", Severity.Critical)).OutboxIds);
        await Eventually.TrueAsync(() => rig.Outbox.Get(id)!.Attempts >= 2, Wait, "two failed attempts while nothing listens");
        Assert.Contains("Connection refused", rig.Outbox.Get(id)!.LastError, StringComparison.Ordinal);

        await receiver.StartAsync();
        await rig.AllSentAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal(3, receiver.Posts.Count);
        Assert.Single(receiver.Posts.Select(p => (string?)JsonNode.Parse(p.Body)!["message_id"]).Distinct());
        Assert.Single(rig.Logs.Lines, l => l.StartsWith("Warning: Notifier chat failing: Connection refused", StringComparison.Ordinal));
        Assert.Single(rig.Logs.Lines, l => l.StartsWith("Warning: Notifier chat failing:", StringComparison.Ordinal) && l.Contains("HTTP 503", StringComparison.Ordinal));
    }
}
