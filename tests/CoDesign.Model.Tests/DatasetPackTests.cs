using CoDesign.Model.Datasets.Packs;

namespace CoDesign.Model.Tests;

/// <summary>
/// Dataset packs: what goes in comes out by request number, in any order, over several shards; a
/// damaged record, index or missing shard is a clear error; an unfinished pack replaces nothing.
/// </summary>
public sealed class DatasetPackTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("codesign-pack-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(1000, 64)]
    [InlineData(1000, 5000)]
    public void Every_record_reads_back_by_request_number_in_any_order(int count, int perShard)
    {
        (byte[] pixels, int[] labels) = Write("data.cdsp", count, perShard, 5, 4);

        using DatasetPack pack = DatasetPack.Open(Path.Combine(_folder, "data.cdsp"));
        Assert.Equal((count, 5, 4), (pack.Count, pack.Width, pack.Height));
        Assert.Equal(["a", "b", "c"], pack.ClassNames);
        var image = new byte[20];
        foreach (int request in Enumerable.Range(0, count).OrderBy(i => (i * 7919) % count))
        {
            Assert.Equal(labels[request], pack.Read(request, image));
            Assert.Equal(pixels.AsSpan(request * 20, 20).ToArray(), image);
        }

        Assert.Equal((count + perShard - 1) / perShard, Directory.GetFiles(_folder).Count(f => Path.GetFileName(f).StartsWith("data.cdsp.", StringComparison.Ordinal)));
        Assert.Equal(pixels, pack.ReadAll().Pixels);
    }

    [Theory]
    [InlineData(DatasetPack.DefaultCacheBytes)]
    [InlineData(0L)]
    public void Records_across_cache_chunks_read_back_with_the_cache_and_without(long cacheBytes)
    {
        // 786-byte records in a 550 KB shard: some straddle the cache's 256 KiB chunks.
        (byte[] pixels, int[] labels) = Write("data.cdsp", 700, 700, 28, 28);

        using DatasetPack pack = DatasetPack.Open(Path.Combine(_folder, "data.cdsp"), cacheBytes);
        var image = new byte[784];
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (int request in Enumerable.Range(0, 700).OrderBy(i => (i * 337) % 700))
            {
                Assert.Equal(labels[request], pack.Read(request, image));
                Assert.Equal(pixels.AsSpan(request * 784, 784).ToArray(), image);
            }
        }
    }

    [Theory]
    [InlineData(DatasetPack.DefaultCacheBytes)]
    [InlineData(0L)]
    public void A_shard_cut_short_after_opening_fails_the_read_that_meets_the_cut(long cacheBytes)
    {
        (_, int[] labels) = Write("data.cdsp", 700, 700, 28, 28);
        string index = Path.Combine(_folder, "data.cdsp");

        using DatasetPack pack = DatasetPack.Open(index, cacheBytes);
        var image = new byte[784];
        pack.Read(0, image);
        using (var stream = new FileStream(index + ".0", FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.SetLength(stream.Length - 1);
        }

        var error = Assert.Throws<InvalidDataException>(() => pack.Read(699, image));
        Assert.Contains("data.cdsp.0: record 699", error.Message, StringComparison.Ordinal);
        Assert.Equal(labels[0], pack.Read(0, image));
    }

    [Fact]
    public void A_damaged_record_names_its_shard_and_request()
    {
        Write("data.cdsp", 100, 40, 3, 3);
        string shard = Path.Combine(_folder, "data.cdsp.1");
        byte[] bytes = File.ReadAllBytes(shard);
        bytes[11 * 5] ^= 0x10;
        File.WriteAllBytes(shard, bytes);

        using DatasetPack pack = DatasetPack.Open(Path.Combine(_folder, "data.cdsp"));
        var image = new byte[9];
        pack.Read(44, image);
        var error = Assert.Throws<InvalidDataException>(() => pack.Read(45, image));
        Assert.Contains("data.cdsp.1: record 45", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("index byte", "the index is damaged")]
    [InlineData("missing shard", "data.cdsp.1 is missing")]
    [InlineData("cut shard", "points outside its shard")]
    [InlineData("not a pack", "not a dataset pack")]
    public void A_damaged_pack_does_not_open(string damage, string message)
    {
        Write("data.cdsp", 100, 40, 3, 3);
        string index = Path.Combine(_folder, "data.cdsp");
        switch (damage)
        {
            case "index byte":
                byte[] bytes = File.ReadAllBytes(index);
                bytes[40] ^= 1;
                File.WriteAllBytes(index, bytes);
                break;
            case "missing shard":
                File.Delete(index + ".1");
                break;
            case "cut shard":
                using (var stream = new FileStream(index + ".2", FileMode.Open))
                {
                    stream.SetLength(stream.Length - 1);
                }

                break;
            default:
                File.WriteAllText(index, "P2 2 2 255 0 0 0 0");
                break;
        }

        var error = Assert.Throws<InvalidDataException>(() => DatasetPack.Open(index));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unfinished_pack_leaves_the_old_one_whole_and_no_files_behind()
    {
        Write("data.cdsp", 50, 10, 2, 2);
        var before = Directory.GetFiles(_folder).Order().Select(File.ReadAllBytes).ToArray();

        using (var writer = new DatasetPackWriter(Path.Combine(_folder, "data.cdsp"), 2, 2, ["a", "b", "c"], 10))
        {
            for (int i = 0; i < 25; i++)
            {
                writer.Add(0, new byte[4]);
            }
        }

        Assert.Equal(before, Directory.GetFiles(_folder).Order().Select(File.ReadAllBytes).ToArray());
    }

    [Fact]
    public void A_smaller_pack_written_over_a_larger_one_leaves_no_stale_shard()
    {
        Write("data.cdsp", 100, 10, 2, 2);
        Write("data.cdsp", 15, 10, 2, 2);

        Assert.Equal(["data.cdsp", "data.cdsp.0", "data.cdsp.1"], Directory.GetFiles(_folder).Select(Path.GetFileName).Order());
        using DatasetPack pack = DatasetPack.Open(Path.Combine(_folder, "data.cdsp"));
        Assert.Equal(15, pack.Count);
    }

    [Fact]
    public void Wrong_sizes_labels_and_requests_are_refused()
    {
        using var writer = new DatasetPackWriter(Path.Combine(_folder, "x.cdsp"), 2, 2, ["a", "b"]);
        Assert.Throws<ArgumentException>(() => writer.Add(0, new byte[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Add(2, new byte[4]));
        writer.Add(1, new byte[4]);
        writer.Complete();

        using DatasetPack pack = DatasetPack.Open(Path.Combine(_folder, "x.cdsp"));
        Assert.Throws<ArgumentOutOfRangeException>(() => pack.Read(1, new byte[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => pack.Read(-1, new byte[4]));
        Assert.Equal(1, pack.Read(0, new byte[4]));
    }

    private (byte[] Pixels, int[] Labels) Write(string name, int count, int perShard, int width, int height)
    {
        var random = new Random(count);
        var pixels = new byte[count * width * height];
        random.NextBytes(pixels);
        int[] labels = [.. Enumerable.Range(0, count).Select(_ => random.Next(3))];
        using var writer = new DatasetPackWriter(Path.Combine(_folder, name), width, height, ["a", "b", "c"], perShard);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(i, writer.Add(labels[i], pixels.AsSpan(i * width * height, width * height)));
        }

        writer.Complete();
        return (pixels, labels);
    }
}
