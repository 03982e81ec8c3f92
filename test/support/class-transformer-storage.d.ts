// class-transformer ships the metadata storage's types under types/, its CommonJS code under cjs/.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
