using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CoDesign.Kernels;

namespace CoDesign.Runtime.Devices.Cpu;

/// <summary>
/// A layer laid out for one image on AVX-512 VBMI: each row's entries grouped by the 128-column window
/// of the input they read, in chunks of <see cref="Chunk"/> (window offset byte, 16-bit weight). One
/// <c>vpermi2b</c> looks a chunk's 16 activations up in the window's 128 bytes, so the image needs no
/// gather; <c>vpmaddwd</c> multiplies them by the weights. Padding entries weigh 0.
/// </summary>
internal sealed class CpuLookupRows
{
    /// <summary>Entries per chunk.</summary>
    public const int Chunk = 16;

    /// <summary>Activations one lookup reaches.</summary>
    public const int Window = 128;

    private readonly CpuLayer _layer;
    private readonly int[] _rowChunks;
    private readonly int[] _chunkWindows;
    private readonly byte[] _offsets;
    private readonly short[] _weights;

    /// <summary>Groups <paramref name="layer"/>'s entries per row by window.</summary>
    public CpuLookupRows(CpuLayer layer)
    {
        _layer = layer;
        _rowChunks = new int[layer.Rows + 1];
        var windows = new List<int>();
        var offsets = new List<byte>();
        var weights = new List<short>();
        var byWindow = new SortedDictionary<int, List<int>>();
        for (int r = 0; r < layer.Rows; r++)
        {
            byWindow.Clear();
            for (int e = layer.RowStarts[r]; e < layer.RowStarts[r + 1]; e++)
            {
                if (layer.Weights[e] != 0)
                {
                    int window = layer.Columns[e] / Window;
                    if (!byWindow.TryGetValue(window, out List<int>? entries))
                    {
                        byWindow[window] = entries = [];
                    }

                    entries.Add(e);
                }
            }

            foreach ((int window, List<int> entries) in byWindow)
            {
                for (int first = 0; first < entries.Count; first += Chunk)
                {
                    windows.Add(window);
                    for (int k = 0; k < Chunk; k++)
                    {
                        bool real = first + k < entries.Count;
                        offsets.Add(real ? (byte)(layer.Columns[entries[first + k]] % Window) : (byte)0);
                        weights.Add(real ? (short)layer.Weights[entries[first + k]] : (short)0);
                    }
                }
            }

            _rowChunks[r + 1] = windows.Count;
        }

        _chunkWindows = [.. windows];
        _offsets = [.. offsets];
        _weights = [.. weights];
    }

    /// <summary>Whether this host has the instructions (AVX-512 VBMI).</summary>
    public static bool IsSupported => Avx512Vbmi.IsSupported;

    /// <summary>Bytes an image's activations need so that every window it reads lies inside: its columns rounded up to a window.</summary>
    public static int PaddedLength(int cols) => (cols + Window - 1) / Window * Window;

    /// <summary>
    /// Rows <paramref name="rowBegin"/> .. <paramref name="rowEnd"/> for the activations <paramref name="x"/>
    /// (zero past the layer's columns up to <see cref="PaddedLength"/>): raw sums to <paramref name="raw"/>
    /// for the last layer, else 8-bit activations to <paramref name="activations"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Multiply(ReadOnlySpan<byte> x, Span<int> raw, Span<byte> activations, int rowBegin, int rowEnd)
    {
        ref byte xs = ref MemoryMarshal.GetReference(x);
        ref byte offsets = ref MemoryMarshal.GetArrayDataReference(_offsets);
        ref short weights = ref MemoryMarshal.GetArrayDataReference(_weights);
        int[] windows = _chunkWindows;
        for (int r = rowBegin; r < rowEnd; r++)
        {
            Vector256<int> acc0 = Vector256<int>.Zero;
            Vector256<int> acc1 = Vector256<int>.Zero;
            int end = _rowChunks[r + 1];
            int c = _rowChunks[r];
            for (; c + 1 < end; c += 2)
            {
                acc0 += Lookup(ref xs, ref offsets, ref weights, windows[c], c);
                acc1 += Lookup(ref xs, ref offsets, ref weights, windows[c + 1], c + 1);
            }

            if (c < end)
            {
                acc0 += Lookup(ref xs, ref offsets, ref weights, windows[c], c);
            }

            int sum = unchecked(Vector256.Sum(acc0 + acc1) + _layer.Bias[r]);
            if (_layer.Raw)
            {
                raw[r] = sum;
            }
            else
            {
                activations[r] = Requantizer.ReluShiftSaturate(sum, _layer.Shift);
            }
        }
    }

    /// <summary>Chunk <paramref name="c"/>'s 16 products, summed in pairs: eight 32-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Lookup(ref byte xs, ref byte offsets, ref short weights, int window, int c)
    {
        nuint at = (nuint)(window * Window);
        Vector512<byte> low = Vector512.LoadUnsafe(ref xs, at);
        Vector512<byte> high = Vector512.LoadUnsafe(ref xs, at + 64);
        Vector512<byte> index = Vector128.LoadUnsafe(ref offsets, (nuint)(c * Chunk)).ToVector256Unsafe().ToVector512Unsafe();
        Vector128<byte> picked = Avx512Vbmi.PermuteVar64x8x2(low, index, high).GetLower().GetLower();
        Vector256<short> values = Avx2.ConvertToVector256Int16(picked);
        return Avx2.MultiplyAddAdjacent(values, Vector256.LoadUnsafe(ref weights, (nuint)(c * Chunk)));
    }
}
