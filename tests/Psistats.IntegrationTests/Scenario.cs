using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Psistats.TestSupport;

namespace Psistats.IntegrationTests;

/// <summary>
/// One test's world on the shared broker: its own exchange and prefix (so tests never see each other's
/// frames), a psistats.ini written for it, and the real agent and aggregator processes it starts.
/// </summary>
public sealed class Scenario : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<ProgramProcess> _processes = [];

    /// <summary>Creates the scenario; <paramref name="extraIni"/> is appended to the generated psistats.ini.</summary>
    public Scenario(string extraIni = "")
    {
        Id = Guid.NewGuid().ToString("N")[..8];
        HttpPort = FreePort();
        ConfigPath = _dir.File("psistats.ini");
        StateDir = _dir.File("state");
        File.WriteAllText(ConfigPath, $"""
            [server]
            url = {Broker.Url}
            [exchange]
            name = {Exchange}
            [queue]
            prefix = {Prefix}
            [app]
            retry_timer = 1
            [aggregator]
            listen = http://127.0.0.1:{HttpPort}
            console = log
            state_dir = {StateDir}
            {extraIni}
            """);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>Short unique id.</summary>
    public string Id { get; }

    /// <summary>This scenario's exchange.</summary>
    public string Exchange => $"psistats-it-{Id}";

    /// <summary>This scenario's routing-key prefix.</summary>
    public string Prefix => $"it{Id}";

    /// <summary>The aggregator's HTTP port.</summary>
    public int HttpPort { get; }

    /// <summary>The aggregator's state_dir (SQLite), inside the scenario's temporary directory.</summary>
    public string StateDir { get; }

    /// <summary>The scenario's temporary directory.</summary>
    public TempDir Dir => _dir;

    /// <summary>The generated psistats.ini.</summary>
    public string ConfigPath { get; }

    /// <summary>Client for the aggregator's API.</summary>
    public HttpClient Http { get; }

    /// <summary>Starts psistats-agent; <paramref name="environment"/> adds PSISTATS_* overrides.</summary>
    public ProgramProcess StartAgent(IReadOnlyDictionary<string, string>? environment = null) =>
        Track(ProgramProcess.Start(RepoPaths.Program("Agent", "psistats-agent"), ["--config", ConfigPath], environment));

    /// <summary>Starts psistats-aggregator and waits until its API answers.</summary>
    public async Task<ProgramProcess> StartAggregatorAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = Track(ProgramProcess.Start(RepoPaths.Program("Aggregator", "psistats-aggregator"), ["--config", ConfigPath], environment));
        await Eventually.ValueAsync(async () => (await Http.GetAsync("/api/hosts")).IsSuccessStatusCode ? "up" : null,
            TimeSpan.FromSeconds(30), $"aggregator API on port {HttpPort}. Output:\n{process.Output}");
        return process;
    }

    /// <summary>GET a JSON document from the aggregator.</summary>
    public async Task<JsonNode?> GetJsonAsync(string path) => await Http.GetFromJsonAsync<JsonNode>(path);

    /// <summary>Polls /api/hosts/{host} until <paramref name="condition"/> holds.</summary>
    public Task<JsonNode> WaitForHostAsync(string host, Func<JsonNode, bool> condition, TimeSpan timeout, string what) =>
        Eventually.ValueAsync(async () =>
        {
            var response = await Http.GetAsync($"/api/hosts/{Uri.EscapeDataString(host)}");
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            var node = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            return condition(node) ? node : null;
        }, timeout, what);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        Http.Dispose();
        try
        {
            await using var connection = await Broker.ConnectAsync();
            await using var channel = await connection.CreateChannelAsync();
            await channel.ExchangeDeleteAsync(Exchange);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Cleaning the broker is best effort; a leftover exchange does not affect other scenarios.
        }

        _dir.Dispose();
    }

    private ProgramProcess Track(ProgramProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Reads a number from a JSON node.</summary>
    public static double Number(JsonNode? node) => node?.GetValueKind() == JsonValueKind.Number ? node.GetValue<double>() : double.NaN;
}
