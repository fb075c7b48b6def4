using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Psistats.Benchmarks;

// In process (--inProcess, added unless given): the solution is built with --artifacts-path, where BenchmarkDotNet's
// default toolchain (it generates a project beside ours and rebuilds it with its references) finds no project; and that
// rebuild would write into the shared bin/obj folders. Passed as the command-line flag so that --job short etc. still
// apply. Results go to $TMPDIR/psistats-benchmarks unless --artifacts says otherwise.
string[] inProcess = args.Any(a => a is "--inProcess" or "-i") ? [] : ["--inProcess"];
var config = ManualConfig.Create(DefaultConfig.Instance).WithArtifactsPath(Path.Combine(Path.GetTempPath(), "psistats-benchmarks"));
BenchmarkSwitcher.FromAssembly(typeof(RuleEvaluation).Assembly).Run([.. args, .. inProcess], config);
