import { LabIcon } from "@jupyterlab/ui-components";

/** A rocket: the dw sidebar tab and the Productionize button. */
export const dwIcon = new LabIcon({
  name: "dw-labextension:rocket",
  svgstr: `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M12 2c3.3 1.9 5.2 5.4 5 9.4l2.6 2.6-1.3 5-3.2-2.6H8.9L5.7 19l-1.3-5L7 11.4C6.8 7.4 8.7 3.9 12 2zm0 5.2a2 2 0 1 0 0 4 2 2 0 0 0 0-4zM10 18h4l-1 4h-2l-1-4z"/>
  </g>
</svg>`,
});
