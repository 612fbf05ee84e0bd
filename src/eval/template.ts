// Prompt templates are plain strings with {field} placeholders, so a task's prompts can be
// printed in docs and reports exactly as the model sees them.

/** `template` with each {name} replaced by vars[name]; an unknown name is an error, not "". */
export function fillTemplate(template: string, vars: Record<string, string>, where: string): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) {
      throw new Error(
        `${where}: template ${JSON.stringify(template)} uses {${name}}, but this kind of task offers ` +
          `${Object.keys(vars)
            .map((k) => `{${k}}`)
            .join(', ')}. Fix the template.`,
      );
    }
    return value;
  });
}
