using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Psistats.Aggregator.Configuration;
using Psistats.Aggregator.Consuming;
using Psistats.Aggregator.Notifications;
using Psistats.Aggregator.Remediation;
using Psistats.Aggregator.Rules;
using Psistats.Aggregator.State;
using Psistats.Aggregator.Storage;

namespace Psistats.Aggregator.Web;

/// <summary>
/// The HTTP API (JSON), documented in docs/api.md:
/// <c>GET /api/hosts</c>, <c>GET /api/hosts/{host}</c>, <c>GET /api/alerts</c>, <c>GET /api/events</c>, <c>GET /api/downtimes</c>,
/// <c>GET /api/rules</c>, <c>GET|POST /api/silences</c>, <c>DELETE /api/silences/{id}</c>, <c>GET /healthz</c> (503 while the broker
/// connection is down). Write calls need <c>Authorization: Bearer [aggregator] api_token</c> when a token is set.
/// </summary>
public static class Api
{
    /// <summary>Default and largest <c>limit</c> of /api/events.</summary>
    public const int DefaultEventLimit = 100, MaxEventLimit = 10_000;

    /// <summary>Maps every route on <paramref name="app"/>.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/hosts", (HostStateStore store, TimeProvider time) => Results.Json(store.Hosts(time.GetUtcNow())));

        app.MapGet("/api/hosts/{host}", (string host, HostStateStore store, TimeProvider time) =>
            store.Host(host, time.GetUtcNow()) is { } snapshot
                ? Results.Json(snapshot)
                : Results.Json(new { error = $"unknown host '{host}'" }, statusCode: StatusCodes.Status404NotFound));

        app.MapGet("/api/events", (AlertStore alerts, string? host, string? rule, string? instance, string? severity, string? kind,
            DateTimeOffset? since, DateTimeOffset? until, long? after, int? limit) =>
        {
            var take = limit ?? DefaultEventLimit;
            if (take is < 1 or > MaxEventLimit)
            {
                return Results.Json(new { error = $"limit must be between 1 and {MaxEventLimit}" }, statusCode: StatusCodes.Status400BadRequest);
            }

            return Results.Json(alerts.Events(new EventQuery
            {
                Host = host,
                Rule = rule,
                Instance = instance,
                Severity = severity,
                Kind = kind,
                Since = since,
                Until = until,
                AfterId = after ?? 0,
                Limit = take,
            }));
        });

        app.MapGet("/api/downtimes", (AlertStore alerts, TimeProvider time, string? host, bool? current, int? limit) =>
        {
            var take = limit ?? DefaultEventLimit;
            if (take is < 1 or > MaxEventLimit)
            {
                return Results.Json(new { error = $"limit must be between 1 and {MaxEventLimit}" }, statusCode: StatusCodes.Status400BadRequest);
            }

            return Results.Json(alerts.Downtimes(host, current ?? false, take, time.GetUtcNow()));
        });

        app.MapGet("/api/alerts", (AlertEngine engine, SilenceStore silences, TimeProvider time, string? host, string? rule, string? severity, string? state) =>
        {
            var now = time.GetUtcNow();
            var alerts = engine.Active()
                .Where(a => (host is null || string.Equals(a.Key.Host, host, StringComparison.OrdinalIgnoreCase))
                    && (rule is null || a.Key.Rule == rule)
                    && (severity is null || string.Equals(AlertStore.SeverityName(a.Severity), severity, StringComparison.OrdinalIgnoreCase))
                    && (state is null || string.Equals(state, a.State == AlertState.Firing ? "firing" : "pending", StringComparison.OrdinalIgnoreCase)))
                .Select(a => AlertView.Of(a, silences.Match(a.Key, now), now));
            return Results.Json(alerts);
        });

        app.MapGet("/api/rules", (RuleSet rules) => Results.Json(rules.Rules));

        app.MapGet("/api/silences", (SilenceStore silences, TimeProvider time, bool? ended) =>
            Results.Json(silences.List(time.GetUtcNow(), includeEnded: ended ?? false)));

        app.MapPost("/api/silences", async (HttpContext http, SilenceStore silences, TimeProvider time, AggregatorOptions options) =>
        {
            if (Unauthorized(http, options) is { } denied)
            {
                return denied;
            }

            JsonObject? body;
            SilenceSpec? spec;
            try
            {
                body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject;
                spec = body?.Deserialize<SilenceSpec>();
            }
            catch (JsonException ex)
            {
                return Error(StatusCodes.Status400BadRequest, $"the body is not a silence: {ex.Message}");
            }

            if (body is null || spec is null)
            {
                return Error(StatusCodes.Status400BadRequest, "the body must be a JSON object: {host, rule, instance, until | until_resolved, comment, created_by}");
            }

            var createdBy = Requester(http, body["created_by"]?.GetValueKind() == JsonValueKind.String ? body["created_by"]!.GetValue<string>() : null);
            var now = time.GetUtcNow();
            long id;
            try
            {
                id = silences.Add(spec, createdBy, now);
            }
            catch (ArgumentException ex)
            {
                return Error(StatusCodes.Status400BadRequest, ex.Message);
            }

            var created = silences.List(now).First(s => s.Id == id);
            return Results.Json(created, statusCode: StatusCodes.Status201Created);
        });

        app.MapDelete("/api/silences/{id:long}", (long id, HttpContext http, SilenceStore silences, TimeProvider time, AggregatorOptions options) =>
            Unauthorized(http, options) ?? (silences.Remove(id, time.GetUtcNow())
                ? Results.NoContent()
                : Error(StatusCodes.Status404NotFound, $"no active silence {id}")));

        app.MapGet("/api/miners", (MinerWatch watch, TimeProvider time) => Results.Json(watch.Status(time.GetUtcNow())));
        app.MapPost("/api/miners/{name}/reboot", (string name, HttpContext http, MinerWatch watch, TimeProvider time, AggregatorOptions options) =>
            ManualAsync(name, RemediationAction.Reboot, http, watch, time, options));
        app.MapPost("/api/miners/{name}/restart", (string name, HttpContext http, MinerWatch watch, TimeProvider time, AggregatorOptions options) =>
            ManualAsync(name, RemediationAction.Restart, http, watch, time, options));

        app.MapGet("/healthz", (ConsumerStats stats, NotificationDispatcher dispatcher, DownDetector detector) =>
        {
            var body = new
            {
                status = stats.Connected ? "healthy" : "unhealthy",
                broker = stats.Connected ? "connected" : "disconnected",
                broker_error = stats.LastBrokerError,
                frames_accepted = stats.Accepted,
                frames_rejected = stats.Rejected,
                frames_replayed = stats.Replayed,
                tick_failures = detector.Failures,
                notifications = dispatcher.Health(),
            };
            return Results.Json(body, statusCode: stats.Connected ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }

    /// <summary>Who asked, for the record: the body's or header's name (X-Psistats-User) and the remote address.</summary>
    public static string Requester(HttpContext http, string? named)
    {
        ArgumentNullException.ThrowIfNull(http);
        var name = named ?? http.Request.Headers["X-Psistats-User"].FirstOrDefault();
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown address";
        var clean = name is null ? null : new string(name.Where(c => !char.IsControl(c)).Take(100).ToArray());
        return string.IsNullOrWhiteSpace(clean) ? address : $"{clean} ({address})";
    }

    /// <summary>A 401 result when <c>[aggregator] api_token</c> is set and the request does not carry it; null when allowed.</summary>
    public static IResult? Unauthorized(HttpContext http, AggregatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ApiToken is not { } token)
        {
            return null;
        }

        var given = http.Request.Headers.Authorization.FirstOrDefault();
        var expected = $"Bearer {token}";
        return given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected))
            ? null
            : Error(StatusCodes.Status401Unauthorized, "this call needs Authorization: Bearer <[aggregator] api_token>");
    }

    /// <summary><c>POST /api/miners/{name}/reboot|restart</c>: 202 with the run, 404 unknown miner, 409 refused by a guard (docs/remediation.md).</summary>
    private static async Task<IResult> ManualAsync(string name, RemediationAction action, HttpContext http, MinerWatch watch, TimeProvider time,
        AggregatorOptions options)
    {
        if (Unauthorized(http, options) is { } denied)
        {
            return denied;
        }

        string? named = null;
        if (http.Request.ContentLength is > 0 || http.Request.HasJsonContentType())
        {
            try
            {
                var body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject;
                named = body?["requested_by"]?.GetValueKind() == JsonValueKind.String ? body["requested_by"]!.GetValue<string>() : null;
            }
            catch (JsonException ex)
            {
                return Error(StatusCodes.Status400BadRequest, $"the body is not JSON: {ex.Message}");
            }
        }

        var result = watch.RequestManual(name, action, Requester(http, named), time.GetUtcNow());
        return result.Status switch
        {
            ManualRequestStatus.Accepted => Results.Json(
                new { run = result.RunId, miner = name, action = RemediationStore.ActionName(action), message = result.Reason },
                statusCode: StatusCodes.Status202Accepted),
            ManualRequestStatus.UnknownMiner => Error(StatusCodes.Status404NotFound, result.Reason),
            _ => Error(StatusCodes.Status409Conflict, result.Reason),
        };
    }

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);
}
