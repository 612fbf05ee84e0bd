// `--device cpu|cuda|dml|coreml` for the commands that run models. The device is settled before
// the command's action runs (flag, else the --config file's "device", else MM1_DEVICE, else cpu)
// and checked by opening a session on it, so a missing provider fails at start, naming the fix.
import { Option, type Command } from 'commander';
import { DEVICES, ensureDevice, resolveDevice, useDevice } from '../engine/device.js';
import { readConfigFile } from './config_file.js';

export const DEVICE_HELP = `
Devices (--device, the config file's "device", or MM1_DEVICE; cpu by default):
  cpu      ONNX Runtime's CPU provider, inside onnxruntime-node everywhere
  cuda     NVIDIA GPUs on Linux x64: onnxruntime-node's CUDA 12 binaries, installed separately
  dml      DirectML on Windows (any DirectX 12 GPU)
  coreml   CoreML on macOS
  Nodes a provider cannot run fall back to the CPU. docs/scale.md says how to install each.`;

/** Adds --device to `cmd` and settles the device before its action (see the file comment). */
export function withDevice(cmd: Command): Command {
  return cmd
    .addOption(new Option('--device <name>', 'execution provider that runs the model (default: MM1_DEVICE, else cpu)').choices([...DEVICES]))
    .addHelpText('after', DEVICE_HELP)
    .hook('preAction', async (command) => {
      const flags = command.opts<{ device?: string; config?: string }>();
      const device = resolveDevice({ flag: flags.device, configFile: configFileDevice(flags.config), configPath: flags.config });
      await ensureDevice(device);
      useDevice(device);
    });
}

/** The "device" key of the --config file, if the command has one. */
function configFileDevice(path: string | undefined): unknown {
  return path === undefined ? undefined : readConfigFile(path, { keepDevice: true }).device;
}
