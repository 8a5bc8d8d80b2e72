// link_protocol.vh: GENERATED from C# constants; do not edit.
// Sources:
//   host/CoDesign.Runtime/Link/FrameType.cs
//   host/CoDesign.Runtime/Link/LinkCapabilities.cs
//   host/CoDesign.Runtime/Link/DeviceErrorCode.cs
//   host/CoDesign.Runtime/Link/FrameCodec.cs
//   host/CoDesign.Runtime/Link/Frame.cs
//   host/CoDesign.Runtime/Link/CommitRequest.cs
//   host/CoDesign.Runtime/Link/RunRequest.cs
//   host/CoDesign.Runtime/Link/RunReply.cs
//   host/CoDesign.Runtime/Link/DeviceStatus.cs
//   host/CoDesign.Runtime/DeviceProfile.cs
//   host/CoDesign.Runtime/Compile/DmaDescriptor.cs
// Regenerate with: codesign kernel constants host/CoDesign.Runtime/Link/FrameType.cs host/CoDesign.Runtime/Link/LinkCapabilities.cs host/CoDesign.Runtime/DeviceProfile.cs host/CoDesign.Runtime/Compile/DmaDescriptor.cs --class FrameType --class LinkCapabilities --class DeviceErrorCode --class FrameCodec --class Frame --class CommitRequest --class RunRequest --class RunReply --class DeviceStatus --class DeviceProfile --class DmaDescriptor -o hardware/rtl/generated/link_protocol.vh
// Include it inside a module (no include guard: the localparams are the including module's).
/* verilator lint_off UNUSEDPARAM */

// CoDesign.Runtime.Link.FrameType
localparam [7:0] FRAME_TYPE_HELLO = 8'h01; // FrameType.cs:11
localparam [7:0] FRAME_TYPE_WRITE = 8'h02; // FrameType.cs:14
localparam [7:0] FRAME_TYPE_COMMIT = 8'h03; // FrameType.cs:17
localparam [7:0] FRAME_TYPE_RUN = 8'h04; // FrameType.cs:20
localparam [7:0] FRAME_TYPE_UNLOAD = 8'h05; // FrameType.cs:23
localparam [7:0] FRAME_TYPE_RESET = 8'h06; // FrameType.cs:26
localparam [7:0] FRAME_TYPE_STATUS = 8'h07; // FrameType.cs:29
localparam [7:0] FRAME_TYPE_COMPRESSED = 8'h40; // FrameType.cs:36
localparam [7:0] FRAME_TYPE_REPLY_FLAG = 8'h80; // FrameType.cs:39
localparam [7:0] FRAME_TYPE_ERROR = 8'hFF; // FrameType.cs:42
localparam [7:0] FRAME_TYPE_FRAME_ERROR = 8'hFE; // FrameType.cs:45

// CoDesign.Runtime.Link.LinkCapabilities
localparam [7:0] LINK_CAPABILITIES_NONE = 8'h00; // LinkCapabilities.cs:12
localparam [7:0] LINK_CAPABILITIES_ZERO_RUN_CODEC = 8'h01; // LinkCapabilities.cs:18

// CoDesign.Runtime.Link.DeviceErrorCode
localparam [7:0] DEVICE_ERROR_CODE_UNKNOWN_REQUEST = 8'h01; // DeviceErrorCode.cs:7
localparam [7:0] DEVICE_ERROR_CODE_BAD_PAYLOAD = 8'h02; // DeviceErrorCode.cs:10
localparam [7:0] DEVICE_ERROR_CODE_OUT_OF_RANGE = 8'h03; // DeviceErrorCode.cs:13
localparam [7:0] DEVICE_ERROR_CODE_IMAGE_CHECKSUM = 8'h04; // DeviceErrorCode.cs:16
localparam [7:0] DEVICE_ERROR_CODE_NO_MODEL = 8'h05; // DeviceErrorCode.cs:19
localparam [7:0] DEVICE_ERROR_CODE_EXECUTION_FAULT = 8'h06; // DeviceErrorCode.cs:22

// CoDesign.Runtime.Link.FrameCodec
localparam [7:0] FRAME_CODEC_FLAG = 8'h7E; // FrameCodec.cs:16
localparam [7:0] FRAME_CODEC_ESCAPE = 8'h7D; // FrameCodec.cs:19
localparam [7:0] FRAME_CODEC_ESCAPE_XOR = 8'h20; // FrameCodec.cs:22
localparam [31:0] FRAME_CODEC_OVERHEAD = 32'd8; // FrameCodec.cs:25

// CoDesign.Runtime.Link.Frame
localparam [31:0] FRAME_MAX_PAYLOAD = 32'd65535; // Frame.cs:7

// CoDesign.Runtime.Link.CommitRequest
localparam [31:0] COMMIT_REQUEST_SIZE = 32'd12; // CommitRequest.cs:9

// CoDesign.Runtime.Link.RunRequest
localparam [31:0] RUN_REQUEST_HEADER_SIZE = 32'd8; // RunRequest.cs:9

// CoDesign.Runtime.Link.RunReply
localparam [31:0] RUN_REPLY_HEADER_SIZE = 32'd40; // RunReply.cs:22

// CoDesign.Runtime.Link.DeviceStatus
localparam [31:0] DEVICE_STATUS_SIZE = 32'd24; // DeviceStatus.cs:16

// CoDesign.Runtime.DeviceProfile
localparam [15:0] DEVICE_PROFILE_PROTOCOL_VERSION = 16'd1; // DeviceProfile.cs:31

// CoDesign.Runtime.Compile.DmaDescriptor
localparam [31:0] DMA_DESCRIPTOR_SIZE = 32'd16; // DmaDescriptor.cs:17
localparam [7:0] DMA_DESCRIPTOR_PERSISTENT_MEMORY = 8'h00; // DmaDescriptor.cs:20
/* verilator lint_on UNUSEDPARAM */
