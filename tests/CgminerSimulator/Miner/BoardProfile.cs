namespace Psistats.CgminerSimulator.Miner;

/// <summary>
/// The fixed characteristics of one TerraMiner board (one cgminer <c>CTA</c> device), drawn from the seed:
/// 2 ASICs, 8 dies, one core each (die d = core d = <c>Asic(d/4)Core(d%4)</c>, as the reference's average core temperature,
/// sum of CoreTemp0..Dies-1 / Dies, implies), 128 engines
/// ("pipes") per core, 2 pumps, 4 fan headers of which board 0 uses 2 and board 1 uses 3, 8 voltage regulators.
/// Sizes as in cgminer's driver-cointerra (CTA_CORES 8, CTA_PUMPS 2, CTA_FANS 4, 128 pipes per core).
/// </summary>
internal sealed class BoardProfile
{
    /// <summary>ASICs per board.</summary>
    public const int Asics = 2;

    /// <summary>Dies per board: one per core (<c>CoreTemp&lt;d&gt;</c> is die d's temperature).</summary>
    public const int Dies = 8;

    /// <summary>Cores per board (<c>CoreTemp0..7</c>, <c>HWErrors0..7</c>, ...).</summary>
    public const int Cores = 8;

    /// <summary>Cores per ASIC (<c>Asic&lt;a&gt;Core0..3</c>).</summary>
    public const int CoresPerAsic = Cores / Asics;

    /// <summary>Engines per core: the bits of one <c>Asic&lt;a&gt;Core&lt;c&gt;</c> bitmap.</summary>
    public const int PipesPerCore = 128;

    /// <summary>Pump tachometers.</summary>
    public const int Pumps = 2;

    /// <summary>Fan headers.</summary>
    public const int Fans = 4;

    /// <summary>Voltage regulators (<c>IRVIN1..8</c>, ...).</summary>
    public const int Regulators = 8;

    /// <summary>Builds board <paramref name="index"/> of the miner with <paramref name="seed"/>.</summary>
    public BoardProfile(long seed, int index)
    {
        Index = index;
        var stream = 1000L * (index + 1);
        double U(long i) => Noise.Unit(seed, stream, i);

        Serial = 0x10000000u + (uint)(U(0) * 0x6FFFFFFF);
        HashRate = 1.0e12 * (0.97 + 0.06 * U(1));
        SharePhase = U(2);
        HwPhase = U(3);
        AmbientBase = 31 + 4 * U(4);
        FansInUse = index == 0 ? 2 : 3;
        CoreTempBase = Enumerable.Range(0, Cores).Select(c => AmbientBase + 33 + 7 * U(10 + c)).ToArray();
        CoreFreqs = Enumerable.Range(0, Cores).Select(c => (ushort)(480 + 5 * (int)(U(20 + c) * 8))).ToArray();
        CoreVolts = Enumerable.Range(0, Cores).Select(c => (ushort)(830 + (int)(U(30 + c) * 40))).ToArray();
        FanBase = Enumerable.Range(0, Fans).Select(f => 2250 + (int)(U(40 + f) * 300)).ToArray();
        PumpBase = Enumerable.Range(0, Pumps).Select(p => 2700 + (int)(U(50 + p) * 250)).ToArray();
        PipeBitmaps = Enumerable.Range(0, Cores).Select(c => LiveBitmap(seed, stream, c)).ToArray();
    }

    /// <summary>Board number (0 = CTA0).</summary>
    public int Index { get; }

    /// <summary><c>Serial</c>.</summary>
    public uint Serial { get; }

    /// <summary>Nominal hash rate, H/s (about 1 TH/s).</summary>
    public double HashRate { get; }

    /// <summary>Offset in [0, 1) of the share counter, so boards do not find shares in step.</summary>
    public double SharePhase { get; }

    /// <summary>Offset in [0, 1) of the hardware error counter.</summary>
    public double HwPhase { get; }

    /// <summary>Nominal <c>Ambient Avg</c>, C.</summary>
    public double AmbientBase { get; }

    /// <summary>Fans this board expects (board 0: 2, board 1: 3); the other headers read 0 or &gt;= 65000.</summary>
    public int FansInUse { get; }

    /// <summary>Nominal core temperatures, C.</summary>
    public IReadOnlyList<double> CoreTempBase { get; }

    /// <summary><c>CoreFreqs0..7</c>, MHz.</summary>
    public IReadOnlyList<ushort> CoreFreqs { get; }

    /// <summary><c>CoreVolts0..7</c>, mV.</summary>
    public IReadOnlyList<ushort> CoreVolts { get; }

    /// <summary>Nominal fan speeds, RPM.</summary>
    public IReadOnlyList<int> FanBase { get; }

    /// <summary>Nominal pump speeds, RPM.</summary>
    public IReadOnlyList<int> PumpBase { get; }

    /// <summary>Per core, 16 bytes: bit (0x80 &gt;&gt; p%8) of byte p/8 set when engine p returns nonces (a few engines per core are dead from the start, as on real boards).</summary>
    public IReadOnlyList<byte[]> PipeBitmaps { get; }

    /// <summary>Cores of die <paramref name="die"/>.</summary>
    public static IEnumerable<int> CoresOfDie(int die) => [die];

    private static byte[] LiveBitmap(long seed, long stream, int core)
    {
        var bitmap = Enumerable.Repeat((byte)0xFF, PipesPerCore / 8).ToArray();
        var dead = (int)(Noise.Unit(seed, stream + 1, core) * 4);
        for (var i = 0; i < dead; i++)
        {
            var pipe = (int)(Noise.Unit(seed, stream + 2, core * 16 + i) * PipesPerCore);
            bitmap[pipe / 8] &= (byte)~(0x80 >> (pipe % 8));
        }

        return bitmap;
    }
}
