using Debug.Core.Model;
using FluentAssertions;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Debug.Core.Tests.Devices;

/// <summary>How a model's device and default dtype are chosen.</summary>
public sealed class ModelDeviceTests
{
    [Theory(DisplayName = "Device names parse: cpu, cuda, cuda:N, meta")]
    [InlineData("cpu", DeviceType.CPU, -1)]
    [InlineData(" CUDA ", DeviceType.CUDA, 0)]
    [InlineData("cuda:3", DeviceType.CUDA, 3)]
    [InlineData("meta", DeviceType.META, -1)]
    public void Parses(string spec, DeviceType type, int index)
    {
        var device = ModelDevice.Parse(spec);
        device.type.Should().Be(type);
        if (index >= 0) device.index.Should().Be(index);
    }

    [Fact(DisplayName = "A bad DEBUG_DEVICE fails naming the variable and what to write")]
    public void BadVariable() =>
        FluentActions.Invoking(() => ModelDevice.Resolve(null, v => v == ModelDevice.Variable ? "gpu0" : null))
            .Should().Throw<ArgumentException>().WithMessage("DEBUG_DEVICE: 'gpu0' is not a device (write cpu, cuda, cuda:N or meta).*");

    [Fact(DisplayName = "The load option wins over DEBUG_DEVICE, which wins over the default (CUDA when available, else CPU)")]
    public void Precedence()
    {
        ModelDevice.Resolve(new Device(DeviceType.META), _ => "cpu").type.Should().Be(DeviceType.META);
        ModelDevice.Resolve(null, _ => "meta").type.Should().Be(DeviceType.META);
        ModelDevice.Resolve(null, _ => null).type.Should().Be(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU);
    }

    [Fact(DisplayName = "Asking for CUDA without a CUDA backend fails with how to get one")]
    public void CudaUnavailable()
    {
        if (cuda.is_available()) return; // the failure path only exists without CUDA
        FluentActions.Invoking(() => ModelDevice.Resolve(null, _ => "cuda:0"))
            .Should().Throw<InvalidOperationException>().WithMessage("*-p:DebugTorchBackend=cuda*");
    }

    [Fact(DisplayName = "The default dtype is bf16 on CUDA and fp32 elsewhere")]
    public void DefaultDtype()
    {
        ModelDevice.DefaultDtype(new Device(DeviceType.CUDA, 0)).Should().Be(ScalarType.BFloat16);
        ModelDevice.DefaultDtype(CPU).Should().Be(ScalarType.Float32);
        ModelDevice.DefaultDtype(new Device(DeviceType.META)).Should().Be(ScalarType.Float32);
    }
}
