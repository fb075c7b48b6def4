using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Psistats.Contracts.Schema;
using Psistats.TestSupport;
using RabbitMQ.Client;

namespace Psistats.IntegrationTests;

/// <summary>What crosses the wire: real frames against the JSON Schema, AMQP properties, third-party consumers.</summary>
public sealed class WireFormatTests
{
    private const string FastIni = "[cpu]\ninterval = 0.3\n[mem]\ninterval = 0.3\n[uptime]\ninterval = 0.3\n[ipaddr]\ninterval = 0.3\n[cpu_temp]\ninterval = 0.3\n";

    /// <summary>Validates JSON lines with Debian's python3-jsonschema against the shipped schema.</summary>
    internal static async Task<string> ValidateAsync(IEnumerable<string> jsonLines)
    {
        using var dir = new TempDir();
        var frames = dir.File("frames.jsonl");
        await File.WriteAllLinesAsync(frames, jsonLines);
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tests", "tools", "validate_frames.py"));
        info.ArgumentList.Add(Path.Combine(RepoPaths.Root, "Contracts", "Schema", FrameSchema.FileName));
        info.ArgumentList.Add(frames);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"schema validation failed:\n{output}");
        return output;
    }

    [Fact]
    public async Task Once_prints_one_schema_valid_frame_per_reporter()
    {
        var (exitCode, output) = await ProgramProcess.RunAsync(RepoPaths.Program("Agent", "psistats-agent"), ["--once", "--config", "/dev/null"],
            TimeSpan.FromSeconds(30));

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Every reporter is on by default; on this machine each one has a frame to print (sensors and hddtemp with empty lists).
        Assert.Equal(["cpu", "mem", "uptime", "ipaddr", "cpu_temp", "sensors", "hddtemp", "diskio", "hddspace", "load", "net", "os"],
            lines.Select(l => JsonNode.Parse(l)!["reporter"]!.GetValue<string>()));
        Assert.Contains("12 frames valid", await ValidateAsync(lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schema_rejects_frames_that_break_the_contract()
    {
        var bad = new[] { """{"hostname":"h","reporter":"cpu","timestamp":1,"cpu":120,"cpu_cores":[]}""" };
        using var dir = new TempDir();
        await File.WriteAllLinesAsync(dir.File("bad.jsonl"), bad);

        var exception = await Assert.ThrowsAsync<Xunit.Sdk.TrueException>(() => ValidateAsync(bad));

        Assert.Contains("120 is greater than the maximum of 100", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Published_frames_carry_the_documented_amqp_properties_and_routing_keys()
    {
        await using var scenario = new Scenario("[exchange]\ndurable = yes\n" + FastIni);
        var host = "Web01.Example.COM";
        var queue = await FrameQueue.DeclareAsync(scenario, $"{scenario.Prefix}.*.cpu");
        var agent = scenario.StartAgent(new Dictionary<string, string> { ["PSISTATS_app__hostname"] = host });
        await agent.WaitForLineAsync("Connected to", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2));

        var messages = await FrameQueue.DrainAsync(queue);

        Assert.NotEmpty(messages);
        Assert.All(messages, m =>
        {
            Assert.Equal(host, m.Frame["hostname"]!.GetValue<string>());
            Assert.Equal("cpu", m.Frame["reporter"]!.GetValue<string>());
            Assert.Equal("application/json", m.Properties.ContentType);
            Assert.Equal("utf-8", m.Properties.ContentEncoding);
            Assert.Equal("cpu", m.Properties.Type);
            Assert.StartsWith("psistats-agent/", m.Properties.AppId, StringComparison.Ordinal);
            Assert.True(Guid.TryParse(m.Properties.MessageId, out _));
            Assert.Equal((long)m.Frame["timestamp"]!.GetValue<double>(), m.Properties.Timestamp.UnixTime);
            Assert.Equal(DeliveryModes.Persistent, m.Properties.DeliveryMode); // [app] persistent = yes by default
        });
        Assert.Equal(messages.Count, messages.Select(m => m.Properties.MessageId).Distinct().Count());
        await ValidateAsync(messages.Select(m => m.Frame.ToJsonString()));
    }

    [Fact]
    public async Task Amqp_consume_from_amqp_tools_tails_valid_frames()
    {
        await using var scenario = new Scenario(FastIni);
        using var dir = new TempDir();
        var info = new ProcessStartInfo("amqp-consume") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--url", Broker.Url.ToString().TrimEnd('/'), "-e", scenario.Exchange, "-r", $"{scenario.Prefix}.#", "-c", "10", "cat" })
        {
            info.ArgumentList.Add(arg);
        }

        // amqp-consume binds to an exchange that must exist: declare it as the agent will.
        await using (var connection = await Broker.ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.ExchangeDeclareAsync(scenario.Exchange, ExchangeType.Topic, durable: false, autoDelete: false);
        }

        using var consumer = Process.Start(info)!;
        var stdout = consumer.StandardOutput.ReadToEndAsync();
        var stderr = consumer.StandardError.ReadToEndAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var agent = scenario.StartAgent();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await consumer.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            consumer.Kill();
            Assert.Fail($"amqp-consume received fewer than 10 frames in 30 s. stderr: {await stderr}\nagent:\n{agent.Output}");
        }

        Assert.Equal(0, consumer.ExitCode);
        var frames = SplitConcatenatedJson(await stdout);
        Assert.Equal(10, frames.Count);
        Assert.All(frames, f => Assert.Equal(Dns.GetHostName(), f["hostname"]!.GetValue<string>()));
        await ValidateAsync(frames.Select(f => f.ToJsonString()));
    }

    [Fact]
    public async Task The_psistats_per_host_queue_is_declared_for_old_consumers_when_asked()
    {
        await using var scenario = new Scenario("[queue]\ndeclare_host_queue = yes\nttl = 60000\n" + FastIni);
        var host = $"compat-{scenario.Id}";
        var agent = scenario.StartAgent(new Dictionary<string, string> { ["PSISTATS_app__hostname"] = host });
        await agent.WaitForLineAsync("Connected to", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        await using var connection = await Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var hostQueue = $"{scenario.Prefix}.{host}";
        var declared = await channel.QueueDeclarePassiveAsync(hostQueue);
        Assert.True(declared.MessageCount > 0, $"no frame in {hostQueue}");
        var message = await channel.BasicGetAsync(hostQueue, autoAck: true);
        Assert.Equal(host, JsonNode.Parse(message!.Body.Span)!["hostname"]!.GetValue<string>());
    }

    private static List<JsonNode> SplitConcatenatedJson(string text)
    {
        var frames = new List<JsonNode>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        while (JsonNode.Parse(ref reader) is { } node)
        {
            frames.Add(node);
            if (!reader.Read())
            {
                break;
            }
        }

        return frames;
    }
}
