/** The part of markdown-it (no bundled types; @types/markdown-it pulls in the DOM lib) that the report tests use. */
declare module 'markdown-it' {
  interface Token {
    type: string;
  }
  export default class MarkdownIt {
    render(src: string): string;
    renderInline(src: string): string;
    parse(src: string, env: object): Token[];
  }
}
