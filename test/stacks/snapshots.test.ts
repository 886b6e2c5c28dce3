import { synthesize } from "../support/synth";

// A change detector for review: any change to a synthesized stack shows up as a snapshot diff.
// Update deliberately with `npx jest -u` after reading the diff.
const stacks = synthesize();

test.each(Object.keys(stacks).sort())("%s matches its snapshot", (name) => {
  expect(stacks[name]).toMatchSnapshot();
});
